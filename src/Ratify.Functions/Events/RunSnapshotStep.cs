using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>One step of a <see cref="RunSnapshot"/>.</summary>
internal sealed class RunSnapshotStep
{
    public string Id { get; set; } = string.Empty;

    public string Status { get; set; } = StepStatuses.Pending;

    public int Attempts { get; set; }

    /// <summary>Executions of the latest attempt (its <c>step.started</c> events); null when none was seen.</summary>
    public int? Executions { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public JsonNode? Output { get; set; }

    /// <summary>The step has an output that the snapshot does not hold (too large for its event, or not announced by one): it is read from storage.</summary>
    public bool OutputOmitted { get; set; }

    public RunError? Error { get; set; }

    public string? ReusedFrom { get; set; }

    public List<RunSnapshotArtifact> Artifacts { get; set; } = [];

    public string? ApprovalId { get; set; }

    public string? ApprovalStatus { get; set; }
}
