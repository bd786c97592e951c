using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Events;

/// <summary>The RunEvents table: partition = run id, one row per event under its sequence number, and a head row with the last number.</summary>
/// <remarks>
/// An append writes the event and moves the head in one entity-group transaction conditioned on the head's ETag, so
/// writers on any host number a run's events 1, 2, 3 … without gaps or duplicates, and a reader that has seen N
/// misses nothing by asking for what comes after N. The last head seen is cached, so an append is one round trip.
/// </remarks>
public sealed partial class RunEventLog(AppTables tables, RunEventSignal signal, TimeProvider time, ILogger<RunEventLog> logger)
{
    /// <summary>The table name under the hub.</summary>
    public const string TableName = "RunEvents";

    /// <summary>The most events one read returns.</summary>
    public const int PageSize = 100;

    private const string HeadKey = "head";
    private const int MaxAttempts = 20;
    private const int MaxCachedHeads = 10_000;
    private const int Stripes = 64;
    private readonly ConcurrentDictionary<string, (long Seq, ETag ETag)> _heads = new(StringComparer.Ordinal);

    // Appends to one run from this host take turns instead of racing each other's ETags; other hosts still may race.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Appends an event; a failure is logged and swallowed, because the work it reports has happened regardless.</summary>
    public async Task AppendAsync(string runId, string type, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            await AppendOrThrowAsync(runId, type, data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidOperationException)
        {
            LogAppendFailed(logger, e, type, runId);
        }
    }

    /// <summary>The events after <paramref name="after"/>, in order, at most <see cref="PageSize"/>.</summary>
    public async Task<IReadOnlyList<RunEvent>> ReadAsync(string runId, long after, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey gt {Key(after)} and RowKey lt {HeadKey}");
        var events = new List<RunEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(new RunEvent(
                long.Parse(row.RowKey, CultureInfo.InvariantCulture),
                runId,
                row.GetString("Type") ?? string.Empty,
                row.GetDateTimeOffset("At") ?? default,
                JsonNode.Parse(row.GetString("Data") ?? "{}") as JsonObject ?? []));
            if (events.Count == PageSize)
            {
                break;
            }
        }

        return events;
    }

    private async Task AppendOrThrowAsync(string runId, string type, JsonObject data, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var json = data.ToJsonString();
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(runId) % Stripes)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AppendUnderStripeAsync(table, runId, type, json, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task AppendUnderStripeAsync(TableClient table, string runId, string type, string json, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!_heads.TryGetValue(runId, out var head))
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(runId, HeadKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                head = row.HasValue && row.Value is { } existing ? (existing.GetInt64("Seq") ?? 0, existing.ETag) : (0, default);
            }

            var next = head.Seq + 1;
            var headRow = new TableEntity(runId, HeadKey) { ["Seq"] = next };
            var eventRow = new TableEntity(runId, Key(next)) { ["Type"] = type, ["At"] = time.GetUtcNow(), ["Data"] = json };
            TableTransactionAction[] actions = head.Seq == 0
                ? [new(TableTransactionActionType.Add, headRow), new(TableTransactionActionType.Add, eventRow)]
                : [new(TableTransactionActionType.UpdateReplace, headRow, head.ETag), new(TableTransactionActionType.Add, eventRow)];
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                Remember(runId, next, response.Value[0].Headers.ETag ?? default);
                signal.Notify(runId);
                return;
            }
            catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e))
            {
                // Another writer appended first: read the head again.
                _heads.TryRemove(runId, out _);
            }
        }

        throw new InvalidOperationException($"Too many writers appended to run {runId}'s events at once.");
    }

    private void Remember(string runId, long seq, ETag etag)
    {
        if (_heads.Count >= MaxCachedHeads)
        {
            _heads.Clear();
        }

        _heads[runId] = (seq, etag);
    }

    // Zero-padded so that row keys sort as numbers (and below "head").
    private static string Key(long seq) => seq.ToString("D12", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Appending event {Type} to run {RunId} failed; stream readers will not see it")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string type, string runId);
}
