using Ratify.Functions.Workflows;

namespace Ratify.Functions.Triggers;

/// <summary>Keeps the Schedules table in step with the workflows: a new version replaces its schedules, archiving ends them.</summary>
public sealed class WorkflowSchedules(ScheduleStore store, ScheduleEvaluator evaluator)
{
    // Archiving is no version of its own; it ends the schedules after every version.
    private const int ArchivedVersion = int.MaxValue;

    /// <summary>Makes the workflow's schedules follow the cron triggers of <paramref name="stored"/> from now on.</summary>
    public Task ApplyAsync(string tenantId, StoredWorkflow stored, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return store.SyncAsync(tenantId, stored.Id, stored.Version, TriggerReader.Cron(stored.Definition), evaluator.Clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Ends every schedule of an archived workflow (ticks due before now still run).</summary>
    public Task EndAsync(string tenantId, string workflowId, CancellationToken cancellationToken = default) =>
        store.SyncAsync(tenantId, workflowId, ArchivedVersion, [], evaluator.Clock.GetUtcNow(), cancellationToken);
}
