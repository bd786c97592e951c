using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>
/// Notes of run starts under way (table RunStarts): written before a run's row is created or reopened, deleted once its
/// orchestration is scheduled. A note that stays names a start that a stopped host left halfway (<see cref="RunStartRecovery"/>).
/// </summary>
/// <remarks>All notes share one partition: there are only as many as starts in flight, so the recovery reads few rows.</remarks>
public sealed class RunStartNotes(AppTables tables)
{
    /// <summary>The table's name (the task hub's prefix is added by <see cref="AppTables"/>).</summary>
    public const string TableName = "RunStarts";

    private const string Partition = "starting";

    /// <summary>Notes that the start of <paramref name="runId"/> has begun (a note left by an earlier try is replaced).</summary>
    public async Task NoteAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(Partition, runId) { ["TenantId"] = tenantId }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes the note of <paramref name="runId"/> (gone already is fine).</summary>
    public async Task ClearAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(Partition, runId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // Cleared by the recovery, or by another try of the same start.
        }
    }

    /// <summary>The notes last written before <paramref name="before"/>: starts that should have finished by then.</summary>
    public async Task<IReadOnlyList<(string TenantId, string RunId)>> ListOlderAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Timestamp le {before}");
        var notes = new List<(string, string)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "TenantId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            notes.Add((row.GetString("TenantId") ?? string.Empty, row.RowKey));
        }

        return notes;
    }
}
