using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Events;

/// <summary>
/// The Events table: one partition per tenant holding two numbered sequences, each run's events (<c>r:{runId}:{seq}</c>, 1, 2, 3 …)
/// and the tenant's feed of every event of every run (<c>f:{cursor}</c>), each with a head row holding its last number.
/// </summary>
/// <remarks>
/// A commit writes the events into both sequences and moves the heads in one entity-group transaction conditioned on the heads'
/// ETags, so writers on any host number both sequences without gaps or duplicates and an event is never in one without the
/// other. Appends on one host queue per tenant and commit in batches (<see cref="TenantEventWriter"/>), so the tenant head is
/// one round trip per batch, not per event. Transient storage failures are retried; a commit whose answer was lost is
/// recognised by its event id when retried, never written twice.
/// </remarks>
public sealed partial class RunEventLog(AppTables tables, RunEventSignal signal, TimeProvider time, ILogger<RunEventLog> logger)
{
    /// <summary>The table name under the hub.</summary>
    public const string TableName = "Events";

    /// <summary>The most events one read returns.</summary>
    public const int PageSize = 100;

    private readonly ConcurrentDictionary<string, TenantEventWriter> _writers = new(StringComparer.Ordinal);

    /// <summary>Appends an event, retrying storage failures for a while; a failure that outlasts them is logged and swallowed, because the work it reports has happened regardless.</summary>
    /// <remarks>
    /// When <paramref name="cancellationToken"/> ends first (a request's storage budget ran out, or its caller left) the caller stops
    /// waiting and goes on, and the event is still written behind it.
    /// </remarks>
    /// <param name="firstOfRun">The run's row was just created: this is its first event, and its head is not read first.</param>
    public async Task AppendAsync(string tenantId, string runId, string type, JsonObject data, CancellationToken cancellationToken = default, bool firstOfRun = false)
    {
        try
        {
            await AppendOrThrowAsync(tenantId, runId, type, data, cancellationToken, firstOfRun).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAppendNotAwaited(logger, type, runId);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidOperationException or TimeoutException)
        {
            LogAppendFailed(logger, e, type, runId);
        }
    }

    /// <summary>Appends an event and returns it numbered; throws when storage failed for longer than the retries last.</summary>
    public Task<RunEvent> AppendOrThrowAsync(string tenantId, string runId, string type, JsonObject data, CancellationToken cancellationToken = default, bool firstOfRun = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(data);
        var writer = _writers.GetOrAdd(tenantId, t => new TenantEventWriter(t, tables, signal, time));
        return writer.AppendAsync(runId, type, data.ToJsonString(), cancellationToken, firstOfRun);
    }

    /// <summary>The run's events after <paramref name="after"/>, in order, at most <see cref="PageSize"/>.</summary>
    public async Task<IReadOnlyList<RunEvent>> ReadRunAsync(string tenantId, string runId, long after, CancellationToken cancellationToken = default)
    {
        var prefix = EventKeys.RunPrefix(runId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {tenantId} and RowKey gt {prefix + EventKeys.Number(after)} and RowKey lt {prefix + EventKeys.AfterDigits}");
        return await ReadAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's events (every run) after the feed position <paramref name="after"/>, in commit order, at most <see cref="PageSize"/>.</summary>
    public async Task<IReadOnlyList<RunEvent>> ReadTenantAsync(string tenantId, long after, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {tenantId} and RowKey gt {EventKeys.FeedPrefix + EventKeys.Number(after)} and RowKey lt {EventKeys.FeedPrefix + EventKeys.AfterDigits}");
        return await ReadAsync(filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The feed position of the tenant's latest event (0 when it has none).</summary>
    public async Task<long> LatestCursorAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, EventKeys.FeedHead, select: ["Seq"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue ? head.Value?.GetInt64("Seq") ?? 0 : 0;
    }

    /// <summary>The run's head row: its last event's number (0 when it has none) and its snapshot as of that event, if it has one.</summary>
    /// <remarks>The tenant is the partition: another tenant's run has no head here.</remarks>
    internal async Task<(long Seq, RunSnapshot? Snapshot)> ReadHeadAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, EventKeys.RunHead(runId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!head.HasValue || head.Value is not { } row)
        {
            return (0, null);
        }

        var seq = row.GetInt64("Seq") ?? 0;
        var snapshot = RunSnapshotText.Parse(row.GetString(RunSnapshotText.Property));
        return (seq, snapshot?.Seq == seq && snapshot.RunId == runId ? snapshot : null);
    }

    /// <summary>The run's snapshot as of its final event, when this host committed that event and nothing of the run since; else null.</summary>
    /// <remarks>Events other hosts committed later are not seen, so this is the run as it ended, for a start that waited for that end.</remarks>
    internal RunSnapshot? EndedSnapshot(string tenantId, string runId) => signal.Ended.TryGet(tenantId, runId);

    private async Task<IReadOnlyList<RunEvent>> ReadAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var events = new List<RunEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.Add(new RunEvent(
                row.GetInt64("Seq") ?? 0,
                row.GetString("RunId") ?? string.Empty,
                row.GetString("Type") ?? string.Empty,
                row.GetDateTimeOffset("At") ?? default,
                JsonNode.Parse(row.GetString("Data") ?? "{}") as JsonObject ?? [],
                row.GetInt64("Cursor") ?? 0));
            if (events.Count == PageSize)
            {
                break;
            }
        }

        return events;
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Appending event {Type} to run {RunId} failed after retries; stream readers will not see it")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string type, string runId);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Debug, Message = "Stopped waiting for event {Type} of run {RunId} to commit; it is written behind the caller")]
    private static partial void LogAppendNotAwaited(ILogger logger, string type, string runId);
}
