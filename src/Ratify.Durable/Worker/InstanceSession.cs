using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// Serialises the episodes of one instance in this host: messages that arrive while an episode runs
/// wait for the next one, and the instance's state stays cached here between episodes.
/// </summary>
internal sealed class InstanceSession(string instanceId, int partition, Func<InstanceSession, IReadOnlyList<InboxMessage>, bool, Task> process, Action<Exception> failed)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _queueMessageIds = new(StringComparer.Ordinal);
    private List<InboxMessage> _inbox = [];
    private bool _running;
    private bool _recover;

    public string InstanceId { get; } = instanceId;

    public int Partition { get; } = partition;

    private OrchestrationRuntimeState? _state;

    /// <summary>The cached state; null when it must be read from storage (which also drops <see cref="Runner"/>).</summary>
    public OrchestrationRuntimeState? State
    {
        get => _state;
        set
        {
            _state = value;
            Runner = null;
        }
    }

    /// <summary>The orchestrator kept in memory since the last commit of <see cref="State"/>, if any.</summary>
    public Replay.OrchestrationRunner? Runner { get; set; }

    public DateTime LastUsed { get; private set; } = DateTime.UtcNow;

    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return !_running && _inbox.Count == 0;
            }
        }
    }

    public void Post(InboxMessage message)
    {
        lock (_gate)
        {
            // A message whose visibility ran out while it waited here comes again: keep one copy.
            if (message.Receipt is { } receipt && !_queueMessageIds.Add(receipt.QueueMessageId))
            {
                return;
            }

            _inbox.Add(message);
            StartIfIdle();
        }
    }

    /// <summary>True when a message waiting for the next episode matches <paramref name="match"/>.</summary>
    public bool HasWaiting(Func<TaskMessage, bool> match)
    {
        lock (_gate)
        {
            return _inbox.Exists(m => match(m.Message));
        }
    }

    /// <summary>Asks the next episode to re-read the state and re-dispatch any work the history says is owed.</summary>
    public void Recover()
    {
        lock (_gate)
        {
            _recover = true;
            StartIfIdle();
        }
    }

    private void StartIfIdle()
    {
        if (!_running)
        {
            _running = true;
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<InboxMessage> batch;
            bool recover;
            lock (_gate)
            {
                if (_inbox.Count == 0 && !_recover)
                {
                    _running = false;
                    return;
                }

                batch = _inbox;
                _inbox = [];
                recover = _recover;
                _recover = false;
            }

            LastUsed = DateTime.UtcNow;
            try
            {
                await process(this, batch, recover).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The loop must outlive any failure, or the instance would never run again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(e);
                State = null;
                Recover(); // its messages may be lost with the failure: re-read and re-dispatch what is owed
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    foreach (var message in batch)
                    {
                        if (message.Receipt is { } receipt)
                        {
                            _queueMessageIds.Remove(receipt.QueueMessageId);
                        }
                    }
                }
            }
        }
    }
}
