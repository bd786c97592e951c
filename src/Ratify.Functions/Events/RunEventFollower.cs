using Microsoft.Extensions.Options;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>Follows one run's events until the run's final event: from this host's memory while it has them, else from storage.</summary>
/// <remarks>
/// Only one page is held at a time and the next is read only after the consumer took the last one, so a slow consumer
/// slows its own stream and never grows the server's memory. Storage is read when memory has a gap (events written by another
/// host, or evicted), and at every poll interval for events written by other hosts.
/// </remarks>
public sealed class RunEventFollower(RunEventLog log, RunEventSignal signal, RunStore runs, IOptions<RunStreamOptions> options)
{
    // Every this many idle polls, the run's row is read: a run that finished without a final event (older runs) ends the stream too.
    private const int PollsPerStatusCheck = 8;

    private long _storageReads;

    /// <summary>How many times followers on this host read the run's events from storage (a test seam).</summary>
    internal long StorageReads => Interlocked.Read(ref _storageReads);

    /// <summary>Hands every event after <paramref name="after"/> to <paramref name="deliver"/> in order; returns after the final one.</summary>
    /// <param name="tenantId">The run's tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="after">The last sequence number the client has.</param>
    /// <param name="deliver">Sends one event; awaited before the next.</param>
    /// <param name="idle">Called when nothing came for a poll interval (keep-alives).</param>
    /// <param name="cancellationToken">The client left.</param>
    public Task FollowAsync(
        string tenantId, string runId, long after, Func<RunEvent, Task> deliver, Func<Task> idle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentNullException.ThrowIfNull(idle);
        return FollowAsync(tenantId, runId, after, deliver, idle, options.Value.PollInterval, readFirst: true, cancellationToken);
    }

    /// <summary>Waits up to <paramref name="wait"/> for the run's final event; true when the run finished within it.</summary>
    /// <remarks>It learns of the end from this host's memory when this host writes the run's events, else at each wait poll interval.</remarks>
    public async Task<bool> WaitForEndAsync(string tenantId, string runId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            await FollowAsync(tenantId, runId, 0, _ => Task.CompletedTask, () => Task.CompletedTask, options.Value.WaitPollInterval, readFirst: false, deadline.Token)
                .ConfigureAwait(false);
            return !deadline.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task FollowAsync(
        string tenantId, string runId, long after, Func<RunEvent, Task> deliver, Func<Task> idle, TimeSpan pollInterval, bool readFirst, CancellationToken cancellationToken)
    {
        var idlePolls = 0;
        var finishedBefore = false;
        var readStorage = readFirst;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = signal.Next(runId);
            var page = readStorage ? null : signal.Recent.TryRun(tenantId, runId, after, RunEventLog.PageSize);
            var fromStorage = page is null;
            if (page is null)
            {
                Interlocked.Increment(ref _storageReads);
                page = await log.ReadRunAsync(tenantId, runId, after, cancellationToken).ConfigureAwait(false);
            }

            foreach (var item in page)
            {
                await deliver(item).ConfigureAwait(false);
                after = item.Seq;
                if (RunEventTypes.IsFinal(item.Type))
                {
                    return;
                }
            }

            if (page.Count > 0)
            {
                idlePolls = 0;

                // A full page may have more behind it, from wherever it came; what memory gave may continue in memory.
                readStorage = fromStorage && page.Count == RunEventLog.PageSize;
                if (readStorage || !fromStorage)
                {
                    continue;
                }
            }
            else if (fromStorage && ++idlePolls % PollsPerStatusCheck == 0)
            {
                // A run's row turns final just before its final event is appended: only a second look that still finds no event ends it.
                var finished = await runs.GetAsync(tenantId, runId, cancellationToken).ConfigureAwait(false) is not { } run || RunStatuses.IsTerminal(run.Status);
                if (finished && finishedBefore)
                {
                    return;
                }

                finishedBefore = finished;
            }

            readStorage = !await RunEventSignal.WaitAsync(wake, pollInterval, cancellationToken).ConfigureAwait(false);
            if (readStorage)
            {
                await idle().ConfigureAwait(false);
            }
        }
    }
}
