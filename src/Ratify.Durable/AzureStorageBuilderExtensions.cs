using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ratify.Durable.Client;
using Ratify.Durable.Replay;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;

namespace Ratify.Durable;

/// <summary>Plugs Ratify's Azure Storage backend into Microsoft's Durable Task SDK, the way the SDK's own backends plug in.</summary>
/// <example>
/// <code>
/// services.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestrator&lt;MyOrchestrator&gt;()).UseAzureStorage());
/// services.AddDurableTaskClient(b => b.UseAzureStorage());
/// </code>
/// </example>
public static class AzureStorageBuilderExtensions
{
    /// <summary>
    /// Runs the worker's orchestrators and activities on Azure Storage. Options come from configuration section
    /// <c>extensions:durableTask</c> (host.json) and the storage connection from <c>AzureWebJobsStorage</c> (a connection string or an identity-based connection);
    /// <paramref name="configure"/> may override both.
    /// </summary>
    public static IDurableTaskWorkerBuilder UseAzureStorage(this IDurableTaskWorkerBuilder builder, Action<DurableTaskOptions>? configure = null)
    {
        AddBackend(builder.Services, configure);
        return builder.UseBuildTarget<AzureStorageDurableTaskWorker>();
    }

    /// <summary>Starts, signals and inspects orchestrations stored in Azure Storage; options as for the worker.</summary>
    public static IDurableTaskClientBuilder UseAzureStorage(this IDurableTaskClientBuilder builder, Action<DurableTaskOptions>? configure = null)
    {
        AddBackend(builder.Services, configure);
        return builder.UseBuildTarget<AzureStorageDurableTaskClient>();
    }

    private static void AddBackend(IServiceCollection services, Action<DurableTaskOptions>? configure)
    {
        if (configure is not null)
        {
            services.PostConfigure(configure);
        }

        // A worker and a client share one backend; register it once.
        if (services.Any(s => s.ServiceType == typeof(StorageAccount)))
        {
            return;
        }

        services.AddOptions<DurableTaskOptions>()
            .BindConfiguration(DurableTaskOptions.SectionName)
            .Configure<IConfiguration>(ReadStorageConnection)
            .Validate(o => o.StorageProvider.PartitionCount is >= 1 and <= 16, "extensions:durableTask:storageProvider:partitionCount must be between 1 and 16.")
            .Validate(o => o.MaxConcurrentActivityFunctions >= 1, "extensions:durableTask:maxConcurrentActivityFunctions must be at least 1.")
            .Validate(o => o.MaxConcurrentOrchestratorFunctions >= 1, "extensions:durableTask:maxConcurrentOrchestratorFunctions must be at least 1.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableTaskOptions>, StorageConnectionValidation>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DurableTaskOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PartitionFence>();
        services.TryAddSingleton<RegisteredTasks>();
        services.TryAddSingleton<StorageAccount>();
        services.TryAddSingleton(sp => new QueueDepthReader(sp.GetRequiredService<StorageAccount>()));
        services.TryAddSingleton<PayloadStore>();
        services.TryAddSingleton<HistoryStore>();
        services.TryAddSingleton<InstanceStore>();
        services.TryAddSingleton<MessageQueues>();
        services.TryAddSingleton<InstanceNotifier>();
        services.TryAddSingleton<ActiveInstanceHints>();
        services.TryAddSingleton<OrchestrationExecutor>();
        services.TryAddSingleton<ActivityDispatcher>();
        services.TryAddSingleton<EpisodeProcessor>();
        services.TryAddSingleton<OrchestrationDispatcher>();
        services.TryAddSingleton<IPartitionManager, LeasePartitionManager>();
    }

    // Code that set a connection string or connection itself (UseAzureStorage, tests) is not overridden by configuration.
    private static void ReadStorageConnection(DurableTaskOptions options, IConfiguration configuration)
    {
        if (options.StorageConnectionString is not null || options.StorageConnection is not null)
        {
            return;
        }

        if (StorageConnectionSettings.TryRead(configuration, StorageConnectionSettings.DefaultName, out var connection, out var error))
        {
            options.StorageConnection = connection;
        }
        else
        {
            options.StorageConnectionError = error;
        }
    }
}
