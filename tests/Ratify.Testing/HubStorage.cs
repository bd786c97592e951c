using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Ratify.Testing;

/// <summary>Removes everything a task hub left in storage: its tables (the runtime's and the app's), queues and containers.</summary>
public static class HubStorage
{
    /// <summary>Deletes the hub's storage so that Azurite's memory does not grow run after run; never throws for storage errors.</summary>
    public static async Task DeleteAsync(string connectionString, string hub)
    {
        var prefix = hub.ToLowerInvariant() + "-";
        try
        {
            var tables = new TableServiceClient(connectionString);
            var names = new List<string>();
            await foreach (var table in tables.QueryAsync())
            {
                if (table.Name.StartsWith(hub, StringComparison.OrdinalIgnoreCase))
                {
                    names.Add(table.Name);
                }
            }

            foreach (var name in names)
            {
                await tables.DeleteTableAsync(name);
            }

            var queues = new QueueServiceClient(connectionString);
            await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
            {
                await queues.DeleteQueueAsync(queue.Name);
            }

            var blobs = new BlobServiceClient(connectionString);
            await foreach (var container in blobs.GetBlobContainersAsync(prefix: prefix))
            {
                await blobs.DeleteBlobContainerAsync(container.Name);
            }
        }
        catch (RequestFailedException e)
        {
            // Left over in an in-memory Azurite that is stopped at exit anyway.
            await Console.Error.WriteLineAsync($"  (could not delete hub {hub}: {e.Message})");
        }
    }
}
