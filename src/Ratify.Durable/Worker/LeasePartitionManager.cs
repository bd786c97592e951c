using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// Spreads the control-queue partitions over the live hosts with blob leases: each host holds about
/// its share, renews it, gives extras back when hosts join, and takes over partitions whose leases
/// expired because their owner died.
/// </summary>
/// <remarks>
/// A host that loses a lease stops serving the partition at once. It does not wait to notice: the
/// <see cref="PartitionFence"/> stops it on its own clock before the lease can expire, and the ETag
/// checks on history and instance writes refuse whatever a stale writer still sends.
/// </remarks>
internal sealed class LeasePartitionManager(
    DurableTaskOptions options, StorageAccount account, PartitionFence fence, TimeProvider time, ILogger<LeasePartitionManager> logger) : IPartitionManager
{
    private const string HostsPrefix = "hosts/";
    private readonly string _hostId = Guid.NewGuid().ToString();
    private readonly Dictionary<int, long> _owned = []; // partition -> monotonic time its lease was last requested
    private readonly CancellationTokenSource _stop = new();
    private Action<int>? _acquired;
    private Func<int, Task>? _released;
    private Task _loop = Task.CompletedTask;

    private AzureStorageOptions Settings => options.StorageProvider;

    public async Task StartAsync(Action<int> acquired, Func<int, Task> released, CancellationToken cancellationToken)
    {
        _acquired = acquired;
        _released = released;
        for (var partition = 0; partition < Settings.PartitionCount; partition++)
        {
            try
            {
                await LeaseBlob(partition).UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Exists already (possibly leased by another host).
            }
        }

        _loop = Task.Run(() => BalanceLoopAsync(_stop.Token), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        foreach (var partition in _owned.Keys.ToList())
        {
            try
            {
                await ReleaseAsync(partition).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
            {
                // Storage is gone: the lease simply expires and another host takes the partition then.
                Logs.PollFailed(logger, account.Leases.Name, e);
            }
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await account.Leases.DeleteBlobIfExistsAsync(HostsPrefix + _hostId, cancellationToken: deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            // The heartbeat simply goes stale.
        }
    }

    private async Task BalanceLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await BalanceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException)
            {
                Logs.PollFailed(logger, account.Leases.Name, e);
            }

            try
            {
                await Task.Delay(Settings.LeaseAcquireInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task BalanceAsync(CancellationToken stopping)
    {
        await account.Leases.GetBlobClient(HostsPrefix + _hostId).UploadAsync(BinaryData.Empty, overwrite: true, stopping).ConfigureAwait(false);
        await RenewDueAsync(stopping).ConfigureAwait(false);

        var hosts = await CountLiveHostsAsync(stopping).ConfigureAwait(false);
        var share = (Settings.PartitionCount + hosts - 1) / hosts;
        foreach (var extra in _owned.Keys.OrderDescending().Skip(share).ToList())
        {
            await ReleaseAsync(extra).ConfigureAwait(false);
        }

        for (var partition = 0; partition < Settings.PartitionCount && _owned.Count < share; partition++)
        {
            if (!_owned.ContainsKey(partition))
            {
                await TryAcquireAsync(partition, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> CountLiveHostsAsync(CancellationToken stopping)
    {
        var alive = DateTimeOffset.UtcNow - (Settings.LeaseAcquireInterval * 3) - TimeSpan.FromSeconds(5);
        var hosts = 0;
        await foreach (var blob in account.Leases.GetBlobsAsync(BlobTraits.None, BlobStates.None, HostsPrefix, stopping).ConfigureAwait(false))
        {
            if (blob.Properties.LastModified is { } seen && seen >= alive)
            {
                hosts++;
            }
        }

        return Math.Max(1, hosts);
    }

    private async Task RenewDueAsync(CancellationToken stopping)
    {
        foreach (var (partition, requestedAt) in _owned.ToList())
        {
            if (time.GetElapsedTime(requestedAt) < Settings.LeaseRenewInterval)
            {
                continue;
            }

            var lapsed = !fence.Holds(partition);
            var renewing = fence.Now();
            try
            {
                await LeaseOf(partition).RenewAsync(cancellationToken: stopping).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                // Lost it (we were too slow and someone took it): stop serving it now.
                fence.Revoke(partition);
                _owned.Remove(partition);
                await _released!(partition).ConfigureAwait(false);
                continue;
            }

            _owned[partition] = renewing;
            if (lapsed)
            {
                // Still ours, but work may have been dropped while the host stood down: start over from storage.
                Logs.PartitionResumed(logger, partition);
                await _released!(partition).ConfigureAwait(false);
                fence.Grant(partition, renewing);
                _acquired!(partition);
            }
            else
            {
                fence.Grant(partition, renewing);
            }
        }
    }

    private async Task TryAcquireAsync(int partition, CancellationToken stopping)
    {
        var properties = await LeaseBlob(partition).GetPropertiesAsync(cancellationToken: stopping).ConfigureAwait(false);
        if (properties.Value.LeaseState is not (LeaseState.Available or LeaseState.Expired or LeaseState.Broken))
        {
            return;
        }

        var requestedAt = fence.Now();
        try
        {
            await LeaseOf(partition).AcquireAsync(Settings.LeaseInterval, cancellationToken: stopping).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return; // another host was quicker
        }

        _owned[partition] = requestedAt;
        fence.Grant(partition, requestedAt);
        _acquired!(partition);
    }

    private async Task ReleaseAsync(int partition)
    {
        fence.Revoke(partition);
        _owned.Remove(partition);
        await _released!(partition).ConfigureAwait(false);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await LeaseOf(partition).ReleaseAsync(cancellationToken: deadline.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // Already expired or taken.
        }
    }

    private BlobClient LeaseBlob(int partition) => account.Leases.GetBlobClient($"partition-{partition:D2}");

    private BlobLeaseClient LeaseOf(int partition) => LeaseBlob(partition).GetBlobLeaseClient(_hostId);
}
