namespace Ratify.Durable;

/// <summary>Settings of the Azure Storage backend (host.json <c>extensions:durableTask:storageProvider</c>).</summary>
public sealed class AzureStorageOptions
{
    /// <summary>Control-queue partitions; instances are spread over them by a stable hash of their id. Default 4 (1–16).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Messages fetched from a control queue per receive. Default 32 (the queue service maximum).</summary>
    public int ControlQueueBatchSize { get; set; } = 32;

    /// <summary>How long a received control message stays invisible to other hosts. Default 5 minutes.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a received activity message stays invisible; renewed while the activity runs. Default 5 minutes.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between polls of an idle queue. Default 1 second (Durable Functions: 30 s).</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait after a poll found nothing; it doubles up to the maximum. Default 10 ms.</summary>
    public TimeSpan MinQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A message received more often than this is set aside as poison. Default 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// How long a partition lease lasts without renewal (15–60 s). Default 30 seconds. A host whose renewal has not
    /// succeeded stops acting for the partition on its own clock a fifth of this before the lease could expire.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often owned leases are renewed. Default 10 seconds. Together with <see cref="LeaseAcquireInterval"/> (the
    /// renewal runs in that loop) it must stay well under four fifths of <see cref="LeaseInterval"/>, or hosts stand down between renewals.
    /// </summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a host looks for partitions to take or give back. Default 5 seconds.</summary>
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>History events kept in the in-memory instance cache before the least recent are evicted. Default 200,000.</summary>
    public long MaxCachedHistoryEvents { get; set; } = 200_000;

    /// <summary>Run an activity in the host that scheduled it when it has a free slot, instead of queueing it. Default true.</summary>
    public bool LocalActivityExecution { get; set; } = true;

    /// <summary>Activities kept in memory for a free local slot before further ones go to the work-item queue. Default 1,000.</summary>
    public int MaxLocalActivityBacklog { get; set; } = 1_000;
}
