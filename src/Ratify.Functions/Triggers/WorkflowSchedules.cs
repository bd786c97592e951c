using Ratify.Functions.Workflows;

namespace Ratify.Functions.Triggers;

/// <summary>Keeps the Schedules table in step with the workflows: a new version replaces its schedules, archiving ends them.</summary>
/// <remarks>
/// The HTTP calls that store a version replace its schedules at once; <see cref="RepairAsync"/> catches up with any version
/// whose schedules were not replaced because its host died in between.
/// </remarks>
public sealed class WorkflowSchedules(ScheduleStore store, ScheduleEvaluator evaluator, WorkflowStore workflows)
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

    /// <summary>Makes every workflow's schedules follow its latest version (or end, when archived); returns how many workflows needed it.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
    {
        var rows = (await store.ListAllAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(r => (r.TenantId, r.WorkflowId))
            .ToDictionary(g => g.Key, g => g.ToList());
        var repaired = 0;
        foreach (var (tenantId, workflow) in await workflows.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var schedules = rows.GetValueOrDefault((tenantId, workflow.Id)) ?? [];
            if (workflow.Archived)
            {
                if (schedules.Any(s => s.Current.Trigger is not null))
                {
                    await EndAsync(tenantId, workflow.Id, cancellationToken).ConfigureAwait(false);
                    repaired++;
                }

                continue;
            }

            var synced = schedules.Count == 0 ? 0 : schedules.Max(s => s.Current.Version);
            if (synced >= workflow.LatestVersion)
            {
                continue;
            }

            var definition = await workflows.GetDefinitionAsync(tenantId, workflow.Id, workflow.LatestVersion, cancellationToken).ConfigureAwait(false);
            var triggers = TriggerReader.Cron(definition);
            if (schedules.Count == 0 && triggers.Count == 0)
            {
                continue;
            }

            // From when the version was stored, so that no tick since then is lost.
            var stored = await workflows.GetAsync(tenantId, workflow.Id, workflow.LatestVersion, cancellationToken).ConfigureAwait(false);
            await store.SyncAsync(tenantId, workflow.Id, workflow.LatestVersion, triggers, stored.VersionCreatedAt, cancellationToken).ConfigureAwait(false);
            repaired++;
        }

        return repaired;
    }
}
