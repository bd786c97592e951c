using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>The app's own tables (keys, workflows, runs …), named after the task hub so that hubs never share data.</summary>
public sealed class AppTables(TableServiceClient service, string hubName)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();

    /// <summary>The table <c>{hub}{name}</c>, created on first use.</summary>
    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken))).Value;

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(hubName + name);
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        return table;
    }
}
