using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>A run as listed: what the Runs table holds, without input, steps or outputs.</summary>
public sealed record RunSummaryResponse(
    string RunId,
    string WorkflowId,
    int Version,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    RunError? Error,
    string? ReplayOf,
    string CreatedBy)
{
    /// <summary>The summary of <paramref name="run"/>.</summary>
    public static RunSummaryResponse From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunSummaryResponse(run.RunId, run.WorkflowId, run.Version, run.Status, run.CreatedAt, run.CompletedAt, run.Error, run.ReplayOf, run.CreatedBy);
    }
}
