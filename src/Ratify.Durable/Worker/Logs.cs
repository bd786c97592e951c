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

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Partition {Partition}: its lease was last renewed {Age} ago, too long to be sure it is still held; this host stood down (no dispatching, activity starts, timers or writes for it)")]
    public static partial void PartitionStoodDown(ILogger logger, int partition, TimeSpan age);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Dropped {Count} message(s) for instance {InstanceId}: partition {Partition} is no longer held by this host; its owner handles them")]
    public static partial void WorkDropped(ILogger logger, int count, string instanceId, int partition);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Storage refused a stale write of instance {InstanceId} ({What}); it was discarded")]
    public static partial void StaleWriteRefused(ILogger logger, string instanceId, string what);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Activity {Name} (task {TaskId}) of instance {InstanceId} was not started: partition {Partition} is no longer held by this host; its owner dispatches it again")]
    public static partial void ActivityDropped(ILogger logger, string name, int taskId, string instanceId, int partition);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "An episode of instance {InstanceId} was committed as partition {Partition}'s hold ran out; its work is left to the partition's next owner, which recovers it")]
    public static partial void DispatchLeftToOwner(ILogger logger, string instanceId, int partition);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Partition {Partition}: its lease was renewed only after this host had stood down; serving it again from storage")]
    public static partial void PartitionResumed(ILogger logger, int partition);
}
