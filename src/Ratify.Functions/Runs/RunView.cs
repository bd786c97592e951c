using Microsoft.DurableTask.Client;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>Reads runs as they stand now: the Runs row merged with the orchestration's live state.</summary>
public sealed class RunView(RunStore runs, DurableTaskClient client)
{
    /// <summary>The run, or null when the tenant has no run with this id (another tenant's run included).</summary>
    public async Task<LiveRun?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        // The row first: it is the tenant check, and nothing of the orchestration is read for a run the tenant does not own.
        var record = await runs.GetAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(runId, cancellation: cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        return LiveRun.Of(record, instance);
    }

    /// <summary>
    /// Where each step of the run stands: the orchestrator's progress, or, when the orchestration is gone, <c>completed</c>
    /// for every step with a stored output (the only trace a purged orchestration leaves).
    /// </summary>
    public static IReadOnlyDictionary<string, StepProgress> RecordedSteps(LiveRun run, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> outputs)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outputs);
        if (run.Progress is { } progress)
        {
            return progress.Steps;
        }

        return outputs.Keys.ToDictionary(
            id => id,
            _ => new StepProgress(StepStatuses.Completed, 1, null, null, null, null),
            StringComparer.Ordinal);
    }
}
