using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Ratify.Durable.Storage;

/// <summary>The storage clients of one task hub, and the one-time creation of its tables, queues and containers.</summary>
internal sealed class StorageAccount
{
    private Lazy<Task> _created;

    public StorageAccount(DurableTaskOptions options)
    {
        var connection = options.EffectiveStorageConnection;
        Names = new StorageNames(options.HubName, options.StorageProvider.PartitionCount);
        Tables = connection.CreateTableServiceClient();
        Blobs = connection.CreateBlobServiceClient();
        // Base64 keeps any payload text valid inside the queue service's XML envelope. A body that is not base64 would fail
        // the whole receive in the client; it is handed to UndecodableMessage instead and left out of the batch.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.MessageDecodingFailed += args => UndecodableMessage is { } handler ? handler(args) : Task.CompletedTask;
        Queues = connection.CreateQueueServiceClient(queueOptions);
        History = Tables.GetTableClient(Names.HistoryTable);
        Instances = Tables.GetTableClient(Names.InstancesTable);
        ControlQueues = [.. Names.ControlQueues.Select(Queues.GetQueueClient)];
        WorkItemQueue = Queues.GetQueueClient(Names.WorkItemQueue);
        PoisonQueue = Queues.GetQueueClient(Names.PoisonQueue);
        Leases = Blobs.GetBlobContainerClient(Names.LeaseContainer);
        Payloads = Blobs.GetBlobContainerClient(Names.PayloadContainer);
        _created = new Lazy<Task>(CreateAllAsync);
    }

    public StorageNames Names { get; }

    /// <summary>Called for each received message whose body the queue client could not decode; set by the message queues.</summary>
    public Func<QueueMessageDecodingFailedEventArgs, Task>? UndecodableMessage { get; set; }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableClient History { get; }

    public TableClient Instances { get; }

    public IReadOnlyList<QueueClient> ControlQueues { get; }

    public QueueClient WorkItemQueue { get; }

    public QueueClient PoisonQueue { get; }

    public BlobContainerClient Leases { get; }

    public BlobContainerClient Payloads { get; }

    /// <summary>Creates whatever does not exist yet; safe to call from any number of hosts.</summary>
    public Task EnsureCreatedAsync() => _created.Value;

    /// <summary>Forgets a failed creation so that the next call tries again.</summary>
    public void ResetCreation() => _created = new Lazy<Task>(CreateAllAsync);

    private async Task CreateAllAsync()
    {
        var creations = new List<Task>
        {
            History.CreateIfNotExistsAsync(),
            Instances.CreateIfNotExistsAsync(),
            WorkItemQueue.CreateIfNotExistsAsync(),
            PoisonQueue.CreateIfNotExistsAsync(),
            Leases.CreateIfNotExistsAsync(),
            Payloads.CreateIfNotExistsAsync(),
        };
        creations.AddRange(ControlQueues.Select(q => (Task)q.CreateIfNotExistsAsync()));
        await Task.WhenAll(creations).ConfigureAwait(false);
    }
}
