using Azure;
using Azure.Storage.Queues;

namespace Ratify.Durable.Storage;

/// <summary>Reads the approximate depth of the task hub's control queues and its work-item queue (one cheap call per queue).</summary>
public sealed class QueueDepthReader
{
    private readonly IReadOnlyList<QueueClient> _queues;

    internal QueueDepthReader(StorageAccount account) => _queues = [.. account.ControlQueues, account.WorkItemQueue];

    /// <summary>The depth of every queue that dispatches work; a queue not created yet counts as empty.</summary>
    public async Task<IReadOnlyList<QueueDepth>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var depths = new QueueDepth[_queues.Count];
        for (var i = 0; i < _queues.Count; i++)
        {
            depths[i] = new QueueDepth(_queues[i].Name, await CountAsync(_queues[i], cancellationToken).ConfigureAwait(false));
        }

        return depths;
    }

    private static async Task<int> CountAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            return 0;
        }
    }
}
