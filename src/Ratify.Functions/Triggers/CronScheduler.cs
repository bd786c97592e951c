using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Hosting;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Triggers;

/// <summary>The timer trigger host: the host holding the scheduler blob lease evaluates every schedule each poll interval.</summary>
/// <remarks>
/// Any number of hosts run this service; the lease makes one of them the evaluator, and another takes over within a lease
/// duration when it dies. During a handover two hosts may briefly both evaluate: tick run ids and conditional cursor
/// writes make that harmless.
/// </remarks>
public sealed partial class CronScheduler(
    ScheduleEvaluator evaluator,
    WorkflowSchedules workflowSchedules,
    BlobServiceClient blobs,
    IOptions<TaskHubOptions> hub,
    IOptions<TriggerOptions> options,
    ILogger<CronScheduler> logger) : BackgroundService
{
    private const string LeaseBlobName = "scheduler";

    /// <summary>Whether this host holds the lease right now.</summary>
    public bool IsLeader { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.SchedulerEnabled)
        {
            return;
        }

        BlobLeaseClient? lease = null;
        var renewedAt = DateTimeOffset.MinValue;
        var repairedAt = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    lease ??= await CreateLeaseClientAsync(stoppingToken).ConfigureAwait(false);
                    if (!IsLeader)
                    {
                        IsLeader = await TryAcquireAsync(lease, settings.LeaseDuration, stoppingToken).ConfigureAwait(false);
                        renewedAt = DateTimeOffset.UtcNow;
                        if (IsLeader)
                        {
                            LogLeaseAcquired(logger);
                            repairedAt = DateTimeOffset.MinValue;
                        }
                    }
                    else if (DateTimeOffset.UtcNow - renewedAt > settings.LeaseDuration / 3)
                    {
                        await lease.RenewAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        renewedAt = DateTimeOffset.UtcNow;
                    }

                    if (IsLeader && DateTimeOffset.UtcNow - repairedAt >= settings.RepairInterval)
                    {
                        repairedAt = DateTimeOffset.UtcNow;
                        if (await workflowSchedules.RepairAsync(stoppingToken).ConfigureAwait(false) is > 0 and var repaired)
                        {
                            LogRepaired(logger, repaired);
                        }
                    }

                    if (IsLeader)
                    {
                        await evaluator.EvaluateAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
                {
                    // The lease expired and another host took it.
                    IsLeader = false;
                    LogLeaseLost(logger);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogLoopFailed(logger, e);
                }

                await Task.Delay(settings.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (IsLeader && lease is not null)
            {
                IsLeader = false;
                await ReleaseAsync(lease).ConfigureAwait(false);
            }
        }
    }

    private async Task<BlobLeaseClient> CreateLeaseClientAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(hub.Value.HubName.ToLowerInvariant() + "-triggers");
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(LeaseBlobName);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
        {
            // Another host made it first (or holds its lease already).
        }

        return blob.GetBlobLeaseClient();
    }

    private static async Task<bool> TryAcquireAsync(BlobLeaseClient lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            return false;
        }
    }

    private async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            // Released at once, so that another host takes over without waiting for the lease to run out.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await lease.ReleaseAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            LogReleaseFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "This host now evaluates the cron schedules")]
    private static partial void LogLeaseAcquired(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The scheduler lease was lost; another host evaluates the cron schedules")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "The cron scheduler loop failed; it goes on at the next interval")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The schedules of {Count} workflow(s) did not follow their latest version and were repaired")]
    private static partial void LogRepaired(ILogger logger, int count);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Releasing the scheduler lease failed; it runs out by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
