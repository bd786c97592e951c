using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>The app's own tables (keys, workflows, runs …), named after the task hub so that hubs never share data.</summary>
public sealed class AppTables(TableServiceClient service, string hubName)
{
    private readonly ConcurrentDictionary<string, Task<TableClient>> _tables = new();

    /// <summary>The table <c>{hub}{name}</c>, created on first use.</summary>
    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var creation = _tables.GetOrAdd(name, n => CreateAsync(n));
        try
        {
            return await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (creation.IsFaulted || creation.IsCanceled)
        {
            // Storage was down at first use: forget the failure so that the next call tries again.
            _tables.TryRemove(new KeyValuePair<string, Task<TableClient>>(name, creation));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(hubName + name);
        await table.CreateIfNotExistsAsync().ConfigureAwait(false);
        return table;
    }
}
