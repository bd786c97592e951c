using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Hosting;

/// <summary>Registers the storage account (<c>AzureWebJobsStorage</c>), the task hub name and the app's tables.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TableServiceClient"/>, <see cref="QueueServiceClient"/> and <see cref="BlobServiceClient"/> singletons for
    /// <c>AzureWebJobsStorage</c>, <see cref="AppTables"/> for the hub <c>extensions:durableTask:hubName</c>, and the storage health check.
    /// </summary>
    public static IServiceCollection AddRatifyStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageConnectionOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                // A root-level key, as in Functions; empty (as in local.settings.sample.json) means the default.
                if (configuration[StorageConnectionOptions.ConfigurationKey] is { Length: > 0 } value)
                {
                    o.ConnectionString = value;
                }
            })
            .Validate(
                o => IsConnectionString(o.ConnectionString),
                "AzureWebJobsStorage is not a storage connection string: set AzureWebJobsStorage to the account's connection " +
                "string, or to UseDevelopmentStorage=true for Azurite on its default ports.")
            .ValidateOnStart();

        services.AddOptions<TaskHubOptions>()
            .BindConfiguration(TaskHubOptions.SectionName)
            .Validate(
                o => TaskHubOptions.IsValidHubName(o.HubName),
                "extensions:durableTask:hubName (host.json) must be 3 to 45 letters and digits, starting with a letter.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => new TableServiceClient(ConnectionString(sp)));
        services.TryAddSingleton(sp => new QueueServiceClient(ConnectionString(sp)));
        services.TryAddSingleton(sp => new BlobServiceClient(ConnectionString(sp)));
        services.TryAddSingleton(sp => new AppTables(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<TaskHubOptions>>().Value.HubName));

        services.TryAddSingleton<StorageHealthCheck>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    private static string ConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageConnectionOptions>>().Value.ConnectionString;

    private static bool IsConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        try
        {
            // The clients parse the string when they are made; nothing goes over the network here.
            _ = new TableServiceClient(connectionString);
            _ = new QueueServiceClient(connectionString);
            _ = new BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
