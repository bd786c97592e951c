using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>
/// Counts and deletes the rows of one table partition, or those of its rows that match a filter, in entity-group transactions
/// of up to 100 rows.
/// </summary>
public static class PartitionRows
{
    private const int BatchSize = 100;

    /// <summary>How many rows the partition holds (those matching <paramref name="where"/>, a table filter, when given).</summary>
    public static async Task<int> CountAsync(TableClient table, string partition, CancellationToken cancellationToken, string? where = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(Filter(partition, where), select: ["RowKey"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    /// <summary>Deletes every row of the partition (those matching <paramref name="where"/> when given); returns how many were deleted.</summary>
    public static async Task<int> DeleteAsync(TableClient table, string partition, CancellationToken cancellationToken, string? where = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var deleted = 0;
        var batch = new List<TableTransactionAction>(BatchSize);
        await foreach (var row in table.QueryAsync<TableEntity>(Filter(partition, where), select: ["RowKey"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            // Unconditional deletes: a row changed meanwhile is deleted all the same.
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, row.RowKey), Azure.ETag.All));
            if (batch.Count == BatchSize)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                deleted += batch.Count;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
            deleted += batch.Count;
        }

        return deleted;
    }

    private static string Filter(string partition, string? where)
    {
        var inPartition = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        return where is null ? inPartition : $"{inPartition} and ({where})";
    }
}
