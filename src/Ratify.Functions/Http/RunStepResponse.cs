using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>One step of a run: where it stands, its output and error, and its artifacts.</summary>
/// <param name="Attempts">How many times it was called (retries included).</param>
/// <param name="ReusedFrom">The run whose recorded result this step took over (a replay); null when it executed here.</param>
/// <param name="Approval">For an approval step whose gate opened: <c>{approvalId, status}</c>.</param>
public sealed record RunStepResponse(
    string Id,
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    JsonNode? Output,
    RunError? Error,
    string? ReusedFrom,
    IReadOnlyList<ArtifactResponse> Artifacts,
    RunStepApproval? Approval = null);
