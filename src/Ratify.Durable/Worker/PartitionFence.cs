using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ratify.Durable.Worker;

/// <summary>
/// Says, on this host's own monotonic clock, whether it may still act for a partition: every lease grant
/// or renewal holds it until shortly before the lease could expire at the storage service.
/// </summary>
/// <remarks>
/// The hold is measured from before the lease request was sent, so it always ends before the service's
/// lease does, whatever the network did. A host that was frozen (a long GC pause, a stalled VM) wakes with
/// its holds already run out: it stops dispatching, starting activities, sending timers and writing for
/// those partitions before it has even noticed that the leases are gone.
/// </remarks>
internal sealed class PartitionFence(DurableTaskOptions options, TimeProvider time, ILogger<PartitionFence> logger)
{
    private readonly ConcurrentDictionary<int, long> _heldUntil = new();
    private readonly ConcurrentDictionary<int, byte> _reported = new();

    /// <summary>How long before the lease's end the host stops acting: room for writes already on their way.</summary>
    public TimeSpan Margin => options.StorageProvider.LeaseInterval / 5;

    /// <summary>A reading of the monotonic clock, taken before asking for a lease.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>Holds <paramref name="partition"/> for a lease requested at <paramref name="requestedAt"/> and granted.</summary>
    public void Grant(int partition, long requestedAt)
    {
        var hold = options.StorageProvider.LeaseInterval - Margin;
        _heldUntil[partition] = requestedAt + (long)(hold.TotalSeconds * time.TimestampFrequency);
        _reported.TryRemove(partition, out _);
    }

    public void Revoke(int partition)
    {
        _heldUntil.TryRemove(partition, out _);
        _reported.TryRemove(partition, out _);
    }

    /// <summary>True while this host may act for <paramref name="partition"/>; the first look after a hold ran out logs that the host stood down.</summary>
    public bool Holds(int partition)
    {
        if (!_heldUntil.TryGetValue(partition, out var until))
        {
            return false;
        }

        var now = time.GetTimestamp();
        if (now < until)
        {
            return true;
        }

        if (_reported.TryAdd(partition, 0))
        {
            Logs.PartitionStoodDown(logger, partition, time.GetElapsedTime(until, now) + options.StorageProvider.LeaseInterval - Margin);
        }

        return false;
    }

    /// <summary>True when the partition was granted and its hold ran out without a renewal or a revoke.</summary>
    public bool Lapsed(int partition) => _heldUntil.TryGetValue(partition, out var until) && time.GetTimestamp() >= until;
}
