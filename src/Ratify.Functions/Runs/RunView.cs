using Microsoft.DurableTask.Client;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>Reads runs as they stand now: the Runs row merged with the orchestration's live state, or with the audit chain once the orchestration is gone.</summary>
public sealed class RunView(RunStore runs, DurableTaskClient client, AuditReader audit)
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
        var run = LiveRun.Of(record, instance);
        if (instance is not null)
        {
            return run;
        }

        // The orchestration was purged (or never scheduled): its steps are what the audit chain recorded, nothing more.
        var steps = await RecordedProgress.FoldAsync(audit.StreamAsync(AuditScopes.Run(tenantId, runId), 0, cancellationToken), cancellationToken).ConfigureAwait(false);
        return steps.Count == 0 ? run : run with { Progress = new RunProgress(run.Status, steps, run.Error) };
    }

    /// <summary>Where each step of the run stands as recorded; a step with no record is absent (never assumed completed).</summary>
    public static IReadOnlyDictionary<string, StepProgress> RecordedSteps(LiveRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Progress?.Steps ?? new Dictionary<string, StepProgress>(StringComparer.Ordinal);
    }
}
