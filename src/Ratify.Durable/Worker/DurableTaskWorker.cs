using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>The hosted worker: creates the hub's storage, takes partitions, and runs the dispatchers until shutdown.</summary>
internal sealed class DurableTaskWorker(
    StorageAccount account,
    IPartitionManager partitions,
    OrchestrationDispatcher orchestrations,
    ActivityDispatcher activities,
    ILogger<DurableTaskWorker> logger) : BackgroundService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);
    private bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStorageAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        activities.DeliverResult = orchestrations.DeliverAsync;
        _started = true;
        await partitions.StartAsync(orchestrations.OnPartitionAcquired, orchestrations.OnPartitionReleasedAsync, stoppingToken).ConfigureAwait(false);
        await activities.PollAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_started)
        {
            await activities.DrainAsync(DrainTimeout).ConfigureAwait(false);
            await partitions.StopAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForStorageAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await account.EnsureCreatedAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                Logs.StorageUnavailable(logger, e);
                account.ResetCreation();
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
