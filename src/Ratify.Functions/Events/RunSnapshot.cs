using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>
/// A run as its events tell it, up to event <see cref="Seq"/>: kept on the run's head row in the Events table by the event writer,
/// so that reading a run is one point read.
/// </summary>
/// <remarks>
/// Only a run whose <c>run.started</c> event listed its steps has a snapshot. Outputs too large for an event, outputs of steps
/// whose ending event was not seen, the large input of a run and the artifacts of reused steps are marked, not held: the reader
/// fetches just those.
/// </remarks>
internal sealed class RunSnapshot
{
    public long Seq { get; set; }

    public string RunId { get; set; } = string.Empty;

    public string WorkflowId { get; set; } = string.Empty;

    public int Version { get; set; }

    public string Status { get; set; } = RunStatuses.Running;

    public JsonNode? Input { get; set; }

    /// <summary>The input was too large for the start event: it is read from the run's row.</summary>
    public bool InputOmitted { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public RunError? Error { get; set; }

    public string? ReplayOf { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    /// <summary>Some steps took over artifacts that no event announced (a replay's reused steps): the run's artifacts are listed.</summary>
    public bool ArtifactsOmitted { get; set; }

    /// <summary>Every step of the definition, in definition order.</summary>
    public List<RunSnapshotStep> Steps { get; set; } = [];
}
