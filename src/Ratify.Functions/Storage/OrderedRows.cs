using Azure;
using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>
/// Writes rows that carry an order (a column that only grows): a write whose order is older than the stored row's is
/// refused, decided with the row's ETag so that two writers cannot both win.
/// </summary>
/// <remarks>
/// Activities run at least once: a late execution of an earlier attempt (on a host that was frozen, or whose attempt
/// timed out) must not replace what a later attempt stored. A write that names its execution also keeps what another execution
/// of the same attempt wrote first, so that what the attempt reported is what stays stored.
/// </remarks>
public static class OrderedRows
{
    /// <summary>The column holding the order.</summary>
    public const string OrderColumn = "WriteOrder";

    /// <summary>The column naming which execution of the attempt wrote the row (absent for writes that name none).</summary>
    public const string ExecutionColumn = "WriteExecution";

    private static readonly string[] GuardColumns = [OrderColumn, ExecutionColumn];

    /// <summary>Inserts or replaces <paramref name="row"/> unless the stored row has a greater <paramref name="order"/>; false when refused.</summary>
    public static async Task<bool> WriteUnlessOlderAsync(TableClient table, TableEntity row, long order, CancellationToken cancellationToken) =>
        await WriteAsync(table, row, order, null, cancellationToken).ConfigureAwait(false) == OrderedWrite.Written;

    /// <summary>
    /// Inserts or replaces <paramref name="row"/> unless the stored row has a greater <paramref name="order"/>, or has the same
    /// order and was written by another <paramref name="execution"/> of the attempt (when both name one).
    /// </summary>
    public static async Task<OrderedWrite> WriteAsync(TableClient table, TableEntity row, long order, int? execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        row[OrderColumn] = order;
        if (execution is { } written)
        {
            row[ExecutionColumn] = written;
        }

        var exists = false; // the first write of a row (the common case) costs one request
        while (true)
        {
            try
            {
                if (!exists)
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                    return OrderedWrite.Written;
                }

                var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, select: GuardColumns, cancellationToken).ConfigureAwait(false);
                if (!stored.HasValue)
                {
                    exists = false;
                    continue;
                }

                var storedOrder = stored.Value!.GetInt64(OrderColumn) ?? 0;
                if (storedOrder > order)
                {
                    return OrderedWrite.Older;
                }

                if (storedOrder == order && execution is not null && stored.Value.GetInt32(ExecutionColumn) is { } storedExecution && storedExecution != execution)
                {
                    return OrderedWrite.Taken;
                }

                await table.UpdateEntityAsync(row, stored.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return OrderedWrite.Written;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e) || StorageErrors.IsNotFound(e))
            {
                // The row exists, or another writer got there between the read and the write: decide again against its row.
                exists = e.Status != 404;
            }
        }
    }
}
