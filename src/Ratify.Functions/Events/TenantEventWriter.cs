using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Events;

/// <summary>This host's writer of one tenant's events: appends queue up and one writer at a time commits them in batches.</summary>
/// <remarks>
/// Each run's head row also carries the run's snapshot, folded from the events committed with it (<see cref="RunSnapshotFold"/>), so
/// a run is read in one point read at no extra storage request per event. Only the draining writer touches the cached heads, so they need no lock. Callers wait for their own event's commit, so the
/// queue holds at most one event per waiting caller.
/// </remarks>
internal sealed class TenantEventWriter(string tenantId, AppTables tables, RunEventSignal signal, TimeProvider time)
{
    // Two rows per event, a head per run and the feed head stay within a transaction's 100 operations; large events split a
    // batch further so that no transaction passes the 4 MiB body limit (PrepareFittingAsync).
    private const int MaxBatch = 25;
    private const int MaxConflicts = 50;
    private const int MaxCachedHeads = 10_000;
    private const int MaxDataLength = 30_000; // a string property holds at most 32K characters
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Queue<PendingEvent> _pending = new();
    private readonly Dictionary<string, Head> _runHeads = new(StringComparer.Ordinal);
    private Head? _feedHead;
    private bool _writing;

    /// <param name="firstOfRun">The run's row was just created, so the run has no head yet and none is read (a wrong guess fails the commit, which then reads).</param>
    public Task<RunEvent> AppendAsync(string runId, string type, string json, CancellationToken cancellationToken, bool firstOfRun = false)
    {
        if (json.Length > MaxDataLength)
        {
            json = $"{{\"dataOmitted\":\"the event's data is {json.Length} characters; read it from /v1/runs/{runId}\"}}";
        }

        var pending = new PendingEvent(runId, type, json, Guid.NewGuid().ToString("N"), firstOfRun, new(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            _pending.Enqueue(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The writer runs apart from the caller that started it, so that caller does not wait on other callers' events.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        // A caller that stops waiting leaves its event to be written: it reports work that happened.
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var batch = new List<PendingEvent>(MaxBatch);
            lock (_gate)
            {
                while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }

            try
            {
                // A batch too large for one transaction commits in several, in order: each commits the events that fit.
                for (var done = 0; done < batch.Count;)
                {
                    var committed = await CommitAsync(batch.GetRange(done, batch.Count - done)).ConfigureAwait(false);
                    for (var i = 0; i < committed.Length; i++)
                    {
                        batch[done + i].Done.TrySetResult(committed[i]);
                    }

                    done += committed.Length;
                }
            }
#pragma warning disable CA1031 // every failure goes to the callers waiting on this batch; the writer must go on for the next
            catch (Exception e)
#pragma warning restore CA1031
            {
                _feedHead = null;
                _runHeads.Clear();
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Commits the longest prefix of <paramref name="batch"/> that fits in one transaction (at least its first event) and returns its events.</summary>
    private async Task<RunEvent[]> CommitAsync(List<PendingEvent> batch)
    {
        var table = await tables.GetAsync(RunEventLog.TableName, CancellationToken.None).ConfigureAwait(false);
        var giveUpAt = time.GetUtcNow() + RetryFor;
        var delay = TimeSpan.FromMilliseconds(50);
        var conflicts = 0;
        RunEvent[]? unanswered = null;
        while (true)
        {
            RunEvent[]? tried = null;
            try
            {
                if (unanswered is not null && await WasCommittedAsync(table, unanswered[0].Cursor, batch[0].Id).ConfigureAwait(false))
                {
                    // The last try was written though its answer was lost: the heads it moved are re-read next time.
                    Notify(unanswered, null);
                    return unanswered;
                }

                unanswered = null;
                var (actions, events, snapshots) = await PrepareFittingAsync(table, batch, trustFirstOfRun: conflicts == 0).ConfigureAwait(false);
                tried = events;
                var response = await table.SubmitTransactionAsync(actions, CancellationToken.None).ConfigureAwait(false);
                Remember(events, snapshots, response.Value);
                Notify(events, snapshots);
                return events;
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e) && ++conflicts < MaxConflicts)
            {
                // Another host appended to this tenant or run first: read the heads again, after a short random pause once hosts
                // keep colliding, so that they stop retrying in step.
                Forget();
                if (conflicts > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(conflicts, 10))), time).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException e) when (StorageErrors.IsTransient(e) && time.GetUtcNow() < giveUpAt)
            {
                Forget();
                unanswered = tried;
                await Task.Delay(delay, time).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// The transaction of the longest prefix of <paramref name="batch"/> within the service's limits. Each try folds the snapshots
    /// afresh from the heads, so a shorter prefix carries exactly its own events' fold. One event always fits: its rows and its
    /// run's head each hold at most one string of about 30,000 characters.
    /// </summary>
    private async Task<(List<TableTransactionAction> Actions, RunEvent[] Events, Dictionary<string, string?> Snapshots)> PrepareFittingAsync(
        TableClient table, List<PendingEvent> batch, bool trustFirstOfRun)
    {
        var count = batch.Count;
        while (true)
        {
            var prepared = await PrepareAsync(table, count == batch.Count ? batch : batch.GetRange(0, count), trustFirstOfRun).ConfigureAwait(false);
            if (count == 1 || TableTransactionLimits.Fits(prepared.Actions))
            {
                return prepared;
            }

            // Shrink in proportion to the excess, by one event at least, since sizes differ between events.
            var bytes = TableTransactionLimits.BodyBytes(prepared.Actions);
            var proportional = (int)(count * TableTransactionLimits.MaxBodyBytes / Math.Max(bytes, 1));
            count = Math.Clamp(proportional, 1, count - 1);
        }
    }

    private async Task<(List<TableTransactionAction> Actions, RunEvent[] Events, Dictionary<string, string?> Snapshots)> PrepareAsync(
        TableClient table, List<PendingEvent> batch, bool trustFirstOfRun)
    {
        var feed = _feedHead ?? await ReadHeadAsync(table, EventKeys.FeedHead).ConfigureAwait(false);
        var runIds = batch.Select(p => p.RunId).Distinct(StringComparer.Ordinal).ToList();
        var missing = runIds.Where(r => !_runHeads.ContainsKey(r)).ToList();
        if (trustFirstOfRun)
        {
            // A new run's head is added, not read; after a conflict every head is read.
            foreach (var runId in missing.Where(r => batch.First(p => p.RunId == r).FirstOfRun).ToList())
            {
                _runHeads[runId] = new Head(0, default, null);
                missing.Remove(runId);
            }
        }

        var read = await Task.WhenAll(missing.Select(r => ReadHeadAsync(table, EventKeys.RunHead(r)))).ConfigureAwait(false);
        for (var i = 0; i < missing.Count; i++)
        {
            _runHeads[missing[i]] = read[i];
        }

        var runSeqs = runIds.ToDictionary(r => r, r => _runHeads[r].Seq, StringComparer.Ordinal);
        var snapshots = runIds.ToDictionary(r => r, r => RunSnapshotText.Parse(_runHeads[r].Snapshot), StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var events = new RunEvent[batch.Count];
        var rows = new List<TableTransactionAction>(batch.Count * 2);
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var seq = ++runSeqs[pending.RunId];
            var cursor = feed.Seq + i + 1;
            events[i] = new RunEvent(seq, pending.RunId, pending.Type, now, JsonNode.Parse(pending.Json) as JsonObject ?? [], cursor);
            snapshots[pending.RunId] = RunSnapshotFold.Apply(snapshots[pending.RunId], events[i]);
            foreach (var key in new[] { EventKeys.FeedPrefix + EventKeys.Number(cursor), EventKeys.RunPrefix(pending.RunId) + EventKeys.Number(seq) })
            {
                rows.Add(new(TableTransactionActionType.Add, new TableEntity(tenantId, key)
                {
                    ["RunId"] = pending.RunId,
                    ["Seq"] = seq,
                    ["Cursor"] = cursor,
                    ["Type"] = pending.Type,
                    ["At"] = now,
                    ["Data"] = pending.Json,
                    ["EventId"] = pending.Id,
                }));
            }
        }

        // Heads first, in the order Remember reads their new ETags back.
        var actions = new List<TableTransactionAction> { HeadAction(EventKeys.FeedHead, feed, feed.Seq + batch.Count) };
        var texts = runIds.ToDictionary(r => r, r => RunSnapshotText.Write(snapshots[r]), StringComparer.Ordinal);
        actions.AddRange(runIds.Select(r => HeadAction(EventKeys.RunHead(r), _runHeads[r], runSeqs[r], texts[r])));
        actions.AddRange(rows);

        return (actions, events, texts);
    }

    private TableTransactionAction HeadAction(string key, Head head, long seq, string? snapshot = null)
    {
        var row = new TableEntity(tenantId, key) { ["Seq"] = seq };
        if (snapshot is not null)
        {
            row[RunSnapshotText.Property] = snapshot;
        }

        return head.Seq == 0 && head.ETag == default
            ? new(TableTransactionActionType.Add, row)
            : new(TableTransactionActionType.UpdateReplace, row, head.ETag);
    }

    private async Task<Head> ReadHeadAsync(TableClient table, string key)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, key, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return row.HasValue && row.Value is { } existing ? new Head(existing.GetInt64("Seq") ?? 0, existing.ETag, existing.GetString(RunSnapshotText.Property))
            : new Head(0, default, null);
    }

    private async Task<bool> WasCommittedAsync(TableClient table, long cursor, string eventId)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, EventKeys.FeedPrefix + EventKeys.Number(cursor), select: ["EventId"], cancellationToken: CancellationToken.None)
            .ConfigureAwait(false);
        return row.HasValue && row.Value?.GetString("EventId") == eventId;
    }

    private void Remember(RunEvent[] events, Dictionary<string, string?> snapshots, IReadOnlyList<Response> responses)
    {
        if (_runHeads.Count >= MaxCachedHeads)
        {
            _runHeads.Clear();
        }

        _feedHead = responses[0].Headers.ETag is { } feedTag ? new Head(events[^1].Cursor, feedTag, null) : null;

        // In first-appearance order, as PrepareAsync placed the heads.
        var runIds = events.Select(e => e.RunId).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < runIds.Count; i++)
        {
            var last = events.Last(e => e.RunId == runIds[i]).Seq;
            if (responses[i + 1].Headers.ETag is { } tag)
            {
                _runHeads[runIds[i]] = new Head(last, tag, snapshots[runIds[i]]);
            }
            else
            {
                _runHeads.Remove(runIds[i]);
            }
        }
    }

    private void Forget()
    {
        _feedHead = null;
        _runHeads.Clear();
    }

    private void Notify(RunEvent[] events, Dictionary<string, string?>? snapshots) => signal.Committed(tenantId, events, snapshots);

    /// <param name="Snapshot">The run's snapshot as of <paramref name="Seq"/> (<see cref="RunSnapshotText"/>); null for the feed head and runs without one.</param>
    private readonly record struct Head(long Seq, ETag ETag, string? Snapshot);

    private sealed record PendingEvent(string RunId, string Type, string Json, string Id, bool FirstOfRun, TaskCompletionSource<RunEvent> Done);
}
