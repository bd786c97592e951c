using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// This backend's implementation of Microsoft's <see cref="DurableTaskWorker"/>: creates the hub's storage, takes
/// partitions, and runs the dispatchers until shutdown.
/// </summary>
/// <remarks>Concurrency limits come from host.json (<see cref="DurableTaskOptions"/>), as in Durable Functions, not from the SDK's worker options.</remarks>
internal sealed class AzureStorageDurableTaskWorker : DurableTaskWorker
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);
    private readonly StorageAccount _account;
    private readonly IPartitionManager _partitions;
    private readonly OrchestrationDispatcher _orchestrations;
    private readonly ActivityDispatcher _activities;
    private readonly ILogger _logger;
    private bool _started;

    public AzureStorageDurableTaskWorker(
        string name,
        IDurableTaskFactory factory,
        IOptionsMonitor<DurableTaskWorkerOptions> workerOptions,
        RegisteredTasks tasks,
        StorageAccount account,
        IPartitionManager partitions,
        OrchestrationDispatcher orchestrations,
        ActivityDispatcher activities,
        ILogger<AzureStorageDurableTaskWorker> logger)
        : base(name, factory)
    {
        if (workerOptions.Get(name).EnableEntitySupport)
        {
            throw new NotSupportedException("Durable entities are not supported by Ratify's Azure Storage backend.");
        }

        tasks.Bind(factory, workerOptions.Get(name).DataConverter);
        _account = account;
        _partitions = partitions;
        _orchestrations = orchestrations;
        _activities = activities;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStorageAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _activities.DeliverResult = _orchestrations.DeliverAsync;
        _started = true;
        await _partitions.StartAsync(_orchestrations.OnPartitionAcquired, _orchestrations.OnPartitionReleasedAsync, stoppingToken).ConfigureAwait(false);
        await _activities.PollAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_started)
        {
            await _activities.DrainAsync(DrainTimeout).ConfigureAwait(false);
            await _partitions.StopAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForStorageAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _account.EnsureCreatedAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                Logs.StorageUnavailable(_logger, e);
                _account.ResetCreation();
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
