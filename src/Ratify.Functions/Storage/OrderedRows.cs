using Azure;
using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>
/// Writes rows that carry an order (a column that only grows): a write whose order is older than the stored row's is
/// refused, decided with the row's ETag so that two writers cannot both win.
/// </summary>
/// <remarks>
/// Activities run at least once: a late execution of an earlier attempt (on a host that was frozen, or whose attempt
/// timed out) must not replace what a later attempt stored.
/// </remarks>
public static class OrderedRows
{
    /// <summary>The column holding the order.</summary>
    public const string OrderColumn = "WriteOrder";

    /// <summary>Inserts or replaces <paramref name="row"/> unless the stored row has a greater <paramref name="order"/>; false when refused.</summary>
    public static async Task<bool> WriteUnlessOlderAsync(TableClient table, TableEntity row, long order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        row[OrderColumn] = order;
        var exists = false; // the first write of a row (the common case) costs one request
        while (true)
        {
            try
            {
                if (!exists)
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, select: [OrderColumn], cancellationToken).ConfigureAwait(false);
                if (!stored.HasValue)
                {
                    exists = false;
                    continue;
                }

                if ((stored.Value!.GetInt64(OrderColumn) ?? 0) > order)
                {
                    return false;
                }

                await table.UpdateEntityAsync(row, stored.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e) || StorageErrors.IsNotFound(e))
            {
                // The row exists, or another writer got there between the read and the write: decide again against its row.
                exists = e.Status != 404;
            }
        }
    }
}
