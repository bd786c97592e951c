using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="FinishRunActivity"/>: the run's final status, and the gates that were still waiting (their links are voided).</summary>
/// <param name="WorkflowId">For the run counters' label; null in histories recorded before it was sent.</param>
/// <param name="Steps">Every step's final progress, published with the run's final event; null in histories recorded before it was sent.</param>
/// <param name="Version">The run's workflow version; null in histories recorded before it was sent.</param>
/// <param name="RowETag">The ETag of the run's row while it still says running as the start wrote it; null when the run wrote
/// its row since (or it is unknown), and the row is then read before it is changed.</param>
public sealed record RunFinish(
    string TenantId, string RunId, string Status, RunError? Error, IReadOnlyList<string>? OpenApprovals = null, string? WorkflowId = null,
    IReadOnlyDictionary<string, StepProgress>? Steps = null, int? Version = null, string? RowETag = null);
