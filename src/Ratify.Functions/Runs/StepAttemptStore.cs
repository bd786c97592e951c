using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>
/// Counts the executions of each step attempt: an attempt is one logical try; it runs more than once only when the host
/// running it died or lost its partition and another host ran it again.
/// </summary>
/// <remarks>
/// The counts are rows of table StepAttemptResults (partition = run id, row key <c>{step}:{scheduled ticks}:{attempt}|executions</c>),
/// beside the attempts' results, so that a step whose execution has no effect outside its activity can count its first
/// execution in the transaction that records its result (<see cref="StepAttemptResultStore.RecordFirstExecutionAsync"/>).
/// </remarks>
public sealed class StepAttemptStore(AppTables tables, TimeProvider time)
{
    private const string TableName = StepAttemptResultStore.TableName;
    private const string ExecutionsColumn = "Executions";

    /// <summary>The row key suffix of an attempt's count.</summary>
    internal const string Suffix = "|executions";

    /// <summary>The count row of the first execution of an attempt.</summary>
    internal static TableEntity FirstExecutionRow(string runId, string stepId, int attempt, DateTimeOffset scheduledAt, DateTimeOffset now) =>
        Row(runId, stepId, attempt, scheduledAt, 1, now);

    /// <summary>Records that the attempt scheduled at <paramref name="scheduledAt"/> starts executing; returns which execution this is (1 for the first).</summary>
    public async Task<int> RecordExecutionAsync(string runId, string stepId, int attempt, DateTimeOffset scheduledAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var key = Key(stepId, attempt, scheduledAt);
        var first = true; // the first execution (the common case) costs one request
        while (true)
        {
            var stored = first ? null : await table.GetEntityIfExistsAsync<TableEntity>(runId, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            var found = stored is { HasValue: true };
            var executions = (found ? stored!.Value!.GetInt32("Executions") ?? 0 : 0) + 1;
            var row = Row(runId, stepId, attempt, scheduledAt, executions, time.GetUtcNow());
            try
            {
                if (found)
                {
                    await table.UpdateEntityAsync(row, stored!.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }

                return executions;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
            {
                // Executed before, or two executions started at once: count again from the stored row.
                first = false;
            }
        }
    }

    /// <summary>For each step of the run that recorded any, how many times its latest attempt executed.</summary>
    public async Task<IReadOnlyDictionary<string, int>> GetExecutionsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, (string Key, int Executions)>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "StepId", ExecutionsColumn], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!row.RowKey.EndsWith(Suffix, StringComparison.Ordinal))
            {
                continue; // an attempt's results
            }

            var stepId = row.GetString("StepId") ?? string.Empty;

            // Keys sort by schedule time within a step: the greatest is the latest attempt.
            if (!latest.TryGetValue(stepId, out var seen) || string.CompareOrdinal(row.RowKey, seen.Key) > 0)
            {
                latest[stepId] = (row.RowKey, row.GetInt32("Executions") ?? 1);
            }
        }

        return latest.ToDictionary(p => p.Key, p => p.Value.Executions, StringComparer.Ordinal);
    }

    private static string Key(string stepId, int attempt, DateTimeOffset scheduledAt) => $"{stepId}:{scheduledAt.UtcTicks:D19}:{attempt:D4}{Suffix}";

    private static TableEntity Row(string runId, string stepId, int attempt, DateTimeOffset scheduledAt, int executions, DateTimeOffset now) =>
        new(runId, Key(stepId, attempt, scheduledAt))
        {
            ["StepId"] = stepId,
            ["Attempt"] = attempt,
            ["ScheduledAt"] = scheduledAt,
            [ExecutionsColumn] = executions,
            ["LastStartedAt"] = now,
        };
}
