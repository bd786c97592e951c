using Microsoft.Extensions.Logging;

namespace Ratify.Durable.Worker;

/// <summary>The worker's log messages, with stable event ids.</summary>
internal static partial class Logs
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "An episode of instance {InstanceId} failed; its messages will be retried")]
    public static partial void EpisodeFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "A message for instance {InstanceId} could not be given back; it returns when its visibility ends")]
    public static partial void GiveBackFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "A processed message for instance {InstanceId} could not be deleted; it will be recognised as a duplicate")]
    public static partial void DeleteFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Polling queue {Queue} failed")]
    public static partial void PollFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The result of an activity of instance {InstanceId} could not be delivered; it will be dispatched again")]
    public static partial void DeliverFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The visibility of an activity message of instance {InstanceId} could not be renewed")]
    public static partial void RenewFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Acquired partition {Partition}")]
    public static partial void PartitionAcquired(ILogger logger, int partition);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Released partition {Partition}")]
    public static partial void PartitionReleased(ILogger logger, int partition);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Storage is not reachable yet; retrying")]
    public static partial void StorageUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Recovering the instances of partition {Partition} failed")]
    public static partial void RecoveryFailed(ILogger logger, int partition, Exception exception);
}
