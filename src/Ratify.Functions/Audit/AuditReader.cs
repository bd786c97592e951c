using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Audit;

/// <summary>Reads audit chains: one scope in order (paged or streamed), its checkpoints, and a tenant's records by filter.</summary>
public sealed class AuditReader(AppTables tables, AppBlobs blobs)
{
    /// <summary>Up to <paramref name="limit"/> records of <paramref name="scope"/> after sequence <paramref name="after"/>, in order.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string scope, long after, int limit, CancellationToken cancellationToken = default)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in StreamAsync(scope, after, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
            if (records.Count == limit)
            {
                break;
            }
        }

        return records;
    }

    /// <summary>Every record of <paramref name="scope"/> after <paramref name="after"/>, in order, read a page at a time.</summary>
    public async IAsyncEnumerable<AuditRecord> StreamAsync(string scope, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var partition = AuditRows.Partition(scope);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {AuditRows.RecordKey(after)} and RowKey lt {"s"}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return await AuditRows.FromRowAsync(row, blobs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chain's last sequence and hash, or null for an empty chain.</summary>
    public async Task<(long Sequence, string Hash)?> HeadAsync(string scope, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(AuditRows.Partition(scope), AuditRows.HeadRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue ? (head.Value!.GetInt64("Sequence") ?? 0, head.Value!.GetString("Hash") ?? string.Empty) : null;
    }

    /// <summary>Every signed checkpoint of <paramref name="scope"/>, in order.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(string scope, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var partition = AuditRows.Partition(scope);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"c"} and RowKey lt {"d"}");
        var checkpoints = new List<AuditCheckpoint>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            checkpoints.Add(AuditRows.CheckpointFromRow(row));
        }

        return checkpoints;
    }

    /// <summary>A page of the tenant's records (every chain of the tenant) that match <paramref name="query"/>.</summary>
    public async Task<AuditPage> QueryAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var filters = new List<string>
        {
            TableClient.CreateQueryFilter($"PartitionKey ge {AuditRows.TenantFrom(tenantId)} and PartitionKey lt {AuditRows.TenantTo(tenantId)}"),
            TableClient.CreateQueryFilter($"RowKey ge {"r"} and RowKey lt {"s"}"),
        };
        if (query.From is { } from)
        {
            filters.Add(TableClient.CreateQueryFilter($"At ge {from}"));
        }

        if (query.To is { } to)
        {
            filters.Add(TableClient.CreateQueryFilter($"At lt {to}"));
        }

        if (query.Type is { } type)
        {
            filters.Add(TableClient.CreateQueryFilter($"Type eq {type}"));
        }

        if (query.Actor is { } actor)
        {
            filters.Add(TableClient.CreateQueryFilter($"ActorKind eq {actor.Kind}"));
            if (actor.Id is { } id)
            {
                filters.Add(TableClient.CreateQueryFilter($"ActorId eq {id}"));
            }
        }

        var pages = table.QueryAsync<TableEntity>(string.Join(" and ", filters), query.Limit, cancellationToken: cancellationToken)
            .AsPages(query.ContinuationToken, query.Limit);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var records = new List<AuditRecord>();
            foreach (var row in page.Values)
            {
                records.Add(await AuditRows.FromRowAsync(row, blobs, cancellationToken).ConfigureAwait(false));
            }

            return new AuditPage(records, page.ContinuationToken);
        }

        return new AuditPage([], null);
    }
}
