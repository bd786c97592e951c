using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// Polls the control queues of the partitions this host owns and hands each message to its instance's
/// session; owns the sessions and their cached state.
/// </summary>
internal sealed class OrchestrationDispatcher
{
    private const int TrimEvery = 32;
    private readonly DurableTaskOptions _options;
    private readonly StorageAccount _account;
    private readonly MessageQueues _queues;
    private readonly EpisodeProcessor _processor;
    private readonly PartitionFence _fence;
    private readonly ILogger<OrchestrationDispatcher> _logger;
    private readonly ConcurrentDictionary<string, InstanceSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, (CancellationTokenSource Stop, Task Loop)> _partitions = new();
    private readonly ConcurrentDictionary<int, PartitionTakeover> _takeovers = new();
    private readonly WakeSignal[] _wake;
    private readonly SemaphoreSlim _episodeSlots;
    private int _episodesSinceTrim;

    public OrchestrationDispatcher(
        DurableTaskOptions options, StorageAccount account, MessageQueues queues, EpisodeProcessor processor, PartitionFence fence, ILogger<OrchestrationDispatcher> logger)
    {
        _fence = fence;
        _options = options;
        _account = account;
        _queues = queues;
        _processor = processor;
        _logger = logger;
        _wake = [.. Enumerable.Range(0, options.StorageProvider.PartitionCount).Select(_ => new WakeSignal())];
        _episodeSlots = new SemaphoreSlim(options.MaxConcurrentOrchestratorFunctions, options.MaxConcurrentOrchestratorFunctions);
        queues.ControlMessageSent += Wake;
    }

    /// <summary>Awaited before the sweep of a newly taken partition lists its unfinished instances; tests use it to order episodes first.</summary>
    internal Func<int, Task>? SweepStarting { get; set; }

    /// <summary>True while this host serves <paramref name="partition"/> and its lease is surely still held.</summary>
    public bool Owns(int partition) => _partitions.ContainsKey(partition) && _fence.Holds(partition);

    /// <summary>Starts serving <paramref name="partition"/>: drops any stale cache of it, polls it, and recovers its instances.</summary>
    /// <remarks>The partition manager calls this and the release one at a time; a partition already served keeps its loop.</remarks>
    public void OnPartitionAcquired(int partition)
    {
        if (_partitions.ContainsKey(partition))
        {
            return;
        }

        Forget(partition);
        var takeover = new PartitionTakeover();
        _takeovers[partition] = takeover; // before polling starts: the first episodes claim their recovery from it
        var stop = new CancellationTokenSource();
        _partitions[partition] = (stop, Task.Run(() => PollAsync(partition, stop.Token)));
        Logs.PartitionAcquired(_logger, partition);
        _ = RecoverPartitionAsync(partition, takeover, stop.Token);
    }

    /// <summary>Completes when the recovery sweep of the latest take-over of <paramref name="partition"/> has ended.</summary>
    internal Task SweptAsync(int partition) => _takeovers.TryGetValue(partition, out var takeover) ? takeover.Swept : Task.CompletedTask;

    /// <summary>Stops serving <paramref name="partition"/> and forgets its cached instances.</summary>
    public async Task OnPartitionReleasedAsync(int partition)
    {
        if (_partitions.TryRemove(partition, out var serving))
        {
            await serving.Stop.CancelAsync().ConfigureAwait(false);
            await serving.Loop.ConfigureAwait(false);
            serving.Stop.Dispose();
            if (_takeovers.TryRemove(partition, out var takeover))
            {
                takeover.EndSweep();
            }

            Forget(partition);
            Logs.PartitionReleased(_logger, partition);
        }
    }

    /// <summary>Hands over a message produced in this host (an activity result) without a queue round trip.</summary>
    public Task DeliverAsync(TaskMessage message)
    {
        var partition = _queues.PartitionOf(message.InstanceId);
        if (!Owns(partition))
        {
            return _queues.SendControlAsync(message);
        }

        SessionOf(message.InstanceId, partition).Post(new InboxMessage(message, null));
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await Task.WhenAll(_partitions.Keys.Select(OnPartitionReleasedAsync)).ConfigureAwait(false);
    }

    private void Wake(int partition, TimeSpan delay)
    {
        if (!Owns(partition))
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            _wake[partition].Set();
        }
        else if (delay < _options.StorageProvider.MaxQueuePollingInterval * 60)
        {
            // A timer coming due: poll right then instead of up to one polling interval later.
            _ = Task.Delay(delay).ContinueWith(_ => _wake[partition].Set(), TaskScheduler.Default);
        }
    }

    private async Task PollAsync(int partition, CancellationToken stopping)
    {
        var queue = _account.ControlQueues[partition];
        var storage = _options.StorageProvider;
        var interval = storage.MinQueuePollingInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!_fence.Holds(partition))
                {
                    // Stood down until the lease is renewed (then this loop is restarted) or lost.
                    await _wake[partition].WaitAsync(storage.MaxQueuePollingInterval, stopping).ConfigureAwait(false);
                    continue;
                }

                var received = await _queues.ReceiveAsync(queue, storage.ControlQueueBatchSize, storage.ControlQueueVisibilityTimeout, stopping).ConfigureAwait(false);
                if (received.Count > 0 && !_fence.Holds(partition))
                {
                    await GiveBackAsync(partition, received).ConfigureAwait(false);
                    continue;
                }

                foreach (var message in received)
                {
                    SessionOf(message.Message.InstanceId, partition).Post(new InboxMessage(message.Message, message));
                }

                if (received.Count > 0)
                {
                    interval = storage.MinQueuePollingInterval;
                    continue;
                }

                var woken = await _wake[partition].WaitAsync(interval, stopping).ConfigureAwait(false);
                var doubled = interval * 2;
                interval = woken ? storage.MinQueuePollingInterval : doubled > storage.MaxQueuePollingInterval ? storage.MaxQueuePollingInterval : doubled;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage errors (including the SDK's AggregateException after its retries) must not end the loop.
                Logs.PollFailed(_logger, queue.Name, e);
                await Task.Delay(storage.MaxQueuePollingInterval, stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes messages received just as the partition's hold ran out visible again at once, for its owner.</summary>
    private async Task GiveBackAsync(int partition, IReadOnlyList<ReceivedMessage> received)
    {
        foreach (var instance in received.GroupBy(m => m.Message.InstanceId, StringComparer.Ordinal))
        {
            Logs.WorkDropped(_logger, instance.Count(), instance.Key, partition);
            foreach (var message in instance)
            {
                await _queues.AbandonAsync(message, TimeSpan.Zero).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Recovers the partition's unfinished instances that no episode here has recovered since the take-over.</summary>
    private async Task RecoverPartitionAsync(int partition, PartitionTakeover takeover, CancellationToken stopping)
    {
        try
        {
            if (SweepStarting is { } starting)
            {
                await starting(partition).ConfigureAwait(false);
            }

            var filter = TableClient.CreateQueryFilter(
                $"Partition eq {partition} and (RuntimeStatus eq {nameof(OrchestrationRuntimeStatus.Pending)} or RuntimeStatus eq {nameof(OrchestrationRuntimeStatus.Running)} or RuntimeStatus eq {nameof(OrchestrationRuntimeStatus.Suspended)})");
            await foreach (var row in _account.Instances.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: stopping).ConfigureAwait(false))
            {
                if (takeover.TryClaim(row.PartitionKey))
                {
                    SessionOf(row.PartitionKey, partition).Recover();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Released before recovery finished; the next owner recovers.
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            Logs.RecoveryFailed(_logger, partition, e);
        }
        finally
        {
            takeover.EndSweep();
        }
    }

    private InstanceSession SessionOf(string instanceId, int partition) =>
        _sessions.GetOrAdd(instanceId, id => new InstanceSession(id, partition, ProcessAsync, e => Logs.EpisodeFailed(_logger, id, e)));

    private async Task ProcessAsync(InstanceSession session, IReadOnlyList<InboxMessage> batch, bool recover)
    {
        // The first episode since the take-over loads the instance from storage: it re-dispatches what the history says
        // is owed, and the partition's sweep leaves the instance alone from then on.
        if (session.State is null && _takeovers.TryGetValue(session.Partition, out var takeover) && takeover.TryClaim(session.InstanceId))
        {
            recover = true;
        }

        await _episodeSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            await _processor.ProcessAsync(session, batch, recover).ConfigureAwait(false);
        }
        finally
        {
            _episodeSlots.Release();
        }

        if (session.State is { IsTerminal: true })
        {
            session.State = null; // finished instances rarely hear from anyone again
        }

        TrimCache();
    }

    /// <summary>Evicts the least recently used idle states once the cache holds too many events or memory runs short.</summary>
    private void TrimCache()
    {
        // Walking every session is not free: look only every so many episodes.
        if (Interlocked.Increment(ref _episodesSinceTrim) % TrimEvery != 0)
        {
            return;
        }

        // Other sessions set their State to null concurrently: read each one once.
        var total = _sessions.Values.Select(s => s.State).Sum(state => (long)(state?.Events.Count ?? 0));
        var memory = GC.GetGCMemoryInfo();
        var underPressure = memory.HighMemoryLoadThresholdBytes > 0 && memory.MemoryLoadBytes > memory.HighMemoryLoadThresholdBytes * 0.9;
        var limit = underPressure ? 0 : _options.StorageProvider.MaxCachedHistoryEvents;
        if (total <= limit && _sessions.Count < 10_000)
        {
            return;
        }

        foreach (var session in _sessions.Values.Where(s => s.IsIdle).OrderBy(s => s.LastUsed))
        {
            if (total <= limit * 0.8 && _sessions.Count < 8_000)
            {
                break;
            }

            total -= session.State?.Events.Count ?? 0; // null-safe: it may have been dropped meanwhile
            session.State = null;
            _sessions.TryRemove(new KeyValuePair<string, InstanceSession>(session.InstanceId, session));
        }
    }

    private void Forget(int partition)
    {
        foreach (var session in _sessions.Values.Where(s => s.Partition == partition))
        {
            session.State = null;
        }
    }
}
