using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ratify.Durable;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Hosting;

/// <summary>Registers the storage account (<c>AzureWebJobsStorage</c>), the task hub name and the app's tables.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TableServiceClient"/>, <see cref="QueueServiceClient"/> and <see cref="BlobServiceClient"/> singletons for
    /// <c>AzureWebJobsStorage</c> (a connection string or an identity-based connection), <see cref="AppTables"/> for the hub <c>extensions:durableTask:hubName</c>, and the storage health check.
    /// </summary>
    public static IServiceCollection AddRatifyStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageConnectionOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                // Empty (as in local.settings.sample.json) means the default, Azurite.
                if (StorageConnectionSettings.TryRead(configuration, StorageConnectionOptions.ConfigurationKey, out var connection, out var error))
                {
                    o.Connection = connection;
                }
                else
                {
                    o.Error = error;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageConnectionOptions>, StorageConnectionOptionsValidation>());

        services.AddOptions<TaskHubOptions>()
            .BindConfiguration(TaskHubOptions.SectionName)
            .Validate(
                o => TaskHubOptions.IsValidHubName(o.HubName),
                "extensions:durableTask:hubName (host.json) must be 3 to 45 letters and digits, starting with a letter.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => Connection(sp).CreateTableServiceClient());
        services.TryAddSingleton(sp => Connection(sp).CreateQueueServiceClient());
        services.TryAddSingleton(sp => Connection(sp).CreateBlobServiceClient());
        services.TryAddSingleton(sp => new AppTables(
            sp.GetRequiredService<TableServiceClient>(),
            sp.GetRequiredService<IOptions<TaskHubOptions>>().Value.HubName));

        services.TryAddSingleton<StorageHealthCheck>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    private static StorageConnection Connection(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageConnectionOptions>>().Value.Connection;
}
