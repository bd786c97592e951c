using System.Collections.Concurrent;

namespace Ratify.Functions.Events;

/// <summary>
/// Wakes this host's stream readers when this host appends to a run's (or tenant's) events, and keeps those events in
/// <see cref="Recent"/> for them; readers of events written elsewhere poll.
/// </summary>
public sealed class RunEventSignal
{
    private const int MaxWaited = 10_000;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waits = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next append to <paramref name="runId"/>; take it before reading, so that no append slips between.</summary>
    public Task Next(string runId)
    {
        if (_waits.Count >= MaxWaited)
        {
            // Readers that are woken for nothing simply read again.
            foreach (var key in _waits.Keys)
            {
                Notify(key);
            }
        }

        return _waits.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <summary>
    /// Waits until <paramref name="wake"/> completes or <paramref name="timeout"/> passes; true when woken. A timeout is the usual
    /// end of an idle follower's wait (several times a second per follower), so it is an answer, never an exception.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<bool> WaitAsync(Task wake, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        await wake.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return wake.IsCompleted;
    }

    /// <summary>The events this host committed lately, which readers that are caught up take instead of reading storage.</summary>
    public RecentRunEvents Recent { get; } = new();

    /// <summary>The snapshots of runs that ended in events this host committed, for starts that waited for their run's end.</summary>
    internal EndedRunSnapshots Ended { get; } = new();

    /// <summary>Keeps a batch this host just committed for <paramref name="tenantId"/> and wakes the readers of its runs and of the tenant.</summary>
    /// <param name="snapshots">Each run's head snapshot text as the batch left it, when the writer knows it (a run without one is forgotten in <see cref="Ended"/>).</param>
    public void Committed(string tenantId, IReadOnlyList<RunEvent> events, IReadOnlyDictionary<string, string?>? snapshots = null)
    {
        ArgumentNullException.ThrowIfNull(events);

        // Kept before waking, so that a woken reader finds them.
        Recent.Add(tenantId, events);
        Ended.Committed(tenantId, events, snapshots);

        foreach (var runId in events.Select(e => e.RunId).Distinct(StringComparer.Ordinal))
        {
            Notify(runId);
        }

        Notify(TenantKey(tenantId));
    }

    /// <summary>The key that readers of a tenant's whole feed wait on (run ids never contain a colon).</summary>
    public static string TenantKey(string tenantId) => "tenant:" + tenantId;

    /// <summary>Wakes every reader waiting on <paramref name="runId"/> (or a <see cref="TenantKey"/>).</summary>
    public void Notify(string runId)
    {
        if (_waits.TryRemove(runId, out var wait))
        {
            wait.TrySetResult();
        }
    }
}
