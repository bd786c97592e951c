using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Approvals;
using Ratify.Functions.Audit;
using Ratify.Functions.Events;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>
/// Deletes a finished run's records for retention: its run row, step outputs, attempts and artifacts, events, runtime history,
/// audit chain and blobs, approvals (with their link openings) and idempotency keys, and leaves a <c>run.purged</c> tombstone in the tenant log. The one operation that deletes records.
/// </summary>
/// <remarks>
/// The tombstone is appended first (with the counts and the run chain's final head), then everything is deleted, the run row
/// last: a purge interrupted half-way leaves the run listed and can be run again, which finds its tombstone (the record id is
/// the run id) and finishes the deletion. Runs that have not finished are refused.
/// </remarks>
public sealed class RunPurger(
    AppTables tables, AppBlobs blobs, RunStore runs, DurableTaskClient client, AuditTrail audit, AuditReader reader, RunCancellations cancellations,
    ApprovalStore approvals, IdempotencyStore idempotencyKeys)
{
    /// <summary>The per-run tables purged, by the name the tombstone counts them under.</summary>
    private static readonly (string Kind, string Table)[] RunTables =
    [
        ("stepOutputs", "StepOutputs"),
        ("artifacts", "Artifacts"),
        ("attemptResults", StepAttemptResultStore.TableName),
    ];

    /// <summary>Purges <paramref name="run"/>, which must have finished.</summary>
    /// <exception cref="RunConflictException">The run or its orchestration has not finished.</exception>
    public async Task<RunPurge> PurgeAsync(RunRecord run, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var instance = await client.GetInstanceAsync(run.RunId, cancellation: cancellationToken).ConfigureAwait(false);
        if (!RunStatuses.IsTerminal(run.Status) || instance is { IsCompleted: false })
        {
            throw new RunConflictException($"Run {run.RunId} is {run.Status}; only finished runs can be purged.");
        }

        var scope = AuditScopes.Run(run.TenantId, run.RunId);
        var auditPartition = AuditRows.Partition(scope);
        var auditTable = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var head = await reader.HeadAsync(scope, cancellationToken).ConfigureAwait(false);
        var deleted = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["runRows"] = 1, ["runtimeInstances"] = instance is null ? 0 : 1 };
        foreach (var (kind, name) in RunTables)
        {
            deleted[kind] = await PartitionRows.CountAsync(await tables.GetAsync(name, cancellationToken).ConfigureAwait(false), run.RunId, cancellationToken).ConfigureAwait(false);
        }

        var eventsTable = await tables.GetAsync(RunEventLog.TableName, cancellationToken).ConfigureAwait(false);
        deleted["events"] = await PartitionRows.CountAsync(eventsTable, run.TenantId, cancellationToken, EventRows(run)).ConfigureAwait(false);
        deleted["approvals"] = (await approvals.ListIdsForRunAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false)).Count;
        deleted["idempotencyKeys"] = await idempotencyKeys.CountForRunAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);
        deleted["auditRows"] = await PartitionRows.CountAsync(auditTable, auditPartition, cancellationToken).ConfigureAwait(false);
        deleted["blobs"] = await blobs.ForPrefixAsync(RunBlobs(run.RunId), delete: false, cancellationToken).ConfigureAwait(false)
            + await blobs.ForPrefixAsync(AuditBlobs(auditPartition), delete: false, cancellationToken).ConfigureAwait(false);

        // Recorded before anything goes, and idempotent by run id: a purge run again after a crash finds this record and finishes.
        var counts = new JsonObject();
        foreach (var (kind, count) in deleted)
        {
            counts[kind] = count;
        }

        var tombstone = await audit.AppendAsync(AuditScopes.Tenant(run.TenantId), AuditTypes.RunPurged, actor, new JsonObject
        {
            ["runId"] = run.RunId,
            ["workflowId"] = run.WorkflowId,
            ["version"] = run.Version,
            ["status"] = run.Status,
            ["finishedAt"] = run.CompletedAt,
            ["deleted"] = counts,
            ["runChain"] = new JsonObject { ["sequence"] = head?.Sequence ?? 0, ["hash"] = head?.Hash },
        }, $"purge/{run.RunId}", CancellationToken.None).ConfigureAwait(false);

        // Not cancellable from here on: the tombstone says it is deleted, so it must be.
        if (instance is not null)
        {
            await client.PurgeInstanceAsync(run.RunId, cancellation: CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var (_, name) in RunTables)
        {
            await PartitionRows.DeleteAsync(await tables.GetAsync(name, CancellationToken.None).ConfigureAwait(false), run.RunId, CancellationToken.None).ConfigureAwait(false);
        }

        await approvals.DeleteForRunAsync(run.TenantId, run.RunId, CancellationToken.None).ConfigureAwait(false);
        await idempotencyKeys.DeleteForRunAsync(run.TenantId, run.RunId, CancellationToken.None).ConfigureAwait(false);
        await PartitionRows.DeleteAsync(auditTable, auditPartition, CancellationToken.None).ConfigureAwait(false);
        await blobs.ForPrefixAsync(RunBlobs(run.RunId), delete: true, CancellationToken.None).ConfigureAwait(false);
        await blobs.ForPrefixAsync(AuditBlobs(auditPartition), delete: true, CancellationToken.None).ConfigureAwait(false);
        await cancellations.DeleteAsync(run.RunId, CancellationToken.None).ConfigureAwait(false);
        await PartitionRows.DeleteAsync(eventsTable, run.TenantId, CancellationToken.None, EventRows(run)).ConfigureAwait(false);
        await runs.DeleteAsync(run.TenantId, run.RunId, CancellationToken.None).ConfigureAwait(false);

        // A purge finished after a crash reports what its tombstone recorded, not what was left to delete.
        var recorded = tombstone.Data?["deleted"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<int>() ?? 0, StringComparer.Ordinal) ?? [];
        var chain = tombstone.Data?["runChain"];
        return new RunPurge(run.RunId, recorded, chain?["sequence"]?.GetValue<long>() ?? 0, chain?["hash"]?.GetValue<string>());
    }

    /// <summary>
    /// The run's rows in its tenant's partition of the Events table: its own events, its entries in the tenant feed (both carry
    /// its id) and its head row, whose snapshot would otherwise still answer reads of the run.
    /// </summary>
    private static string EventRows(RunRecord run) =>
        TableClient.CreateQueryFilter($"RunId eq {run.RunId} or RowKey eq {EventKeys.RunHead(run.RunId)}");

    private static string RunBlobs(string runId) => $"runs/{runId}/";

    private static string AuditBlobs(string auditPartition) => $"audit/{auditPartition}/";
}
