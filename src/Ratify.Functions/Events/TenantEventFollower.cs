using Microsoft.Extensions.Options;

namespace Ratify.Functions.Events;

/// <summary>Follows a tenant's feed of every run's events until the client leaves: from this host's memory while it has them, else from storage.</summary>
/// <remarks>
/// Only one page is held at a time and the next is read only after the consumer took the last one, so a slow consumer
/// slows its own stream and never grows the server's memory. Storage is read when memory has a gap (events written by another
/// host, or evicted), and at every poll interval for events written by other hosts.
/// </remarks>
public sealed class TenantEventFollower(RunEventLog log, RunEventSignal signal, IOptions<RunStreamOptions> options)
{
    private long _storageReads;

    /// <summary>How many times followers on this host read a tenant's feed from storage (a test seam).</summary>
    internal long StorageReads => Interlocked.Read(ref _storageReads);

    /// <summary>Hands every event after feed position <paramref name="after"/> to <paramref name="deliver"/> in commit order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="after">The cursor of the last event the client has (0 for the start of the feed).</param>
    /// <param name="deliver">Sends one event; awaited before the next.</param>
    /// <param name="idle">Called when nothing came for a poll interval (keep-alives).</param>
    /// <param name="cancellationToken">The client left.</param>
    public async Task FollowAsync(string tenantId, long after, Func<RunEvent, Task> deliver, Func<Task> idle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentNullException.ThrowIfNull(idle);
        var key = RunEventSignal.TenantKey(tenantId);
        var readStorage = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = signal.Next(key);
            var page = readStorage ? null : signal.Recent.TryTenant(tenantId, after, RunEventLog.PageSize);
            var fromStorage = page is null;
            if (page is null)
            {
                Interlocked.Increment(ref _storageReads);
                page = await log.ReadTenantAsync(tenantId, after, cancellationToken).ConfigureAwait(false);
            }

            foreach (var item in page)
            {
                await deliver(item).ConfigureAwait(false);
                after = item.Cursor;
            }

            // A full page may have more behind it, from wherever it came; what memory gave may continue in memory.
            readStorage = fromStorage && page.Count == RunEventLog.PageSize;
            if (readStorage || (!fromStorage && page.Count > 0))
            {
                continue;
            }

            if (!await RunEventSignal.WaitAsync(wake, options.Value.PollInterval, cancellationToken).ConfigureAwait(false))
            {
                readStorage = true;
                await idle().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The feed position of the tenant's latest event: where a client that wants only what comes next starts.</summary>
    public Task<long> LatestAsync(string tenantId, CancellationToken cancellationToken) => log.LatestCursorAsync(tenantId, cancellationToken);
}
