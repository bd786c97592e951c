using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>One step of a run: where it stands, its output and error, and its artifacts.</summary>
/// <param name="Attempts">How many times it was called (retries included): logical attempts.</param>
/// <param name="Executions">How many times its latest attempt executed: above 1 when the host running it stopped or lost the
/// run's partition and another host ran the same attempt again (receivers see the same <c>Idempotency-Key</c>); null when
/// nothing was recorded (a step not started, or reused from another run).</param>
/// <param name="ReusedFrom">The run whose recorded result this step took over (a replay); null when it executed here.</param>
/// <param name="Approval">For an approval step whose gate opened: <c>{approvalId, status}</c>.</param>
public sealed record RunStepResponse(
    string Id,
    string Status,
    int Attempts,
    int? Executions,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    JsonNode? Output,
    RunError? Error,
    string? ReusedFrom,
    IReadOnlyList<ArtifactResponse> Artifacts,
    RunStepApproval? Approval = null);
