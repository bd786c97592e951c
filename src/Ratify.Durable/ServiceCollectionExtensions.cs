using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ratify.Durable.Client;
using Ratify.Durable.Replay;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;

namespace Ratify.Durable;

/// <summary>Registers the durable task runtime: the worker, its storage backend and the client.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime with the orchestrators and activities <paramref name="registerTasks"/> registers.
    /// Options come from configuration section <c>extensions:durableTask</c> (host.json) and the connection
    /// string from <c>AzureWebJobsStorage</c>; <paramref name="configure"/> may override both.
    /// </summary>
    public static IServiceCollection AddDurableTask(this IServiceCollection services, Action<DurableTaskRegistry> registerTasks, Action<DurableTaskOptions>? configure = null)
    {
        var registry = new DurableTaskRegistry();
        registerTasks(registry);
        services.AddSingleton(registry);
        services.AddOptions<DurableTaskOptions>()
            .BindConfiguration(DurableTaskOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                options.StorageConnectionString ??= configuration["AzureWebJobsStorage"];
                configure?.Invoke(options);
            })
            .Validate(o => o.StorageProvider.PartitionCount is >= 1 and <= 16, "extensions:durableTask:storageProvider:partitionCount must be between 1 and 16.")
            .Validate(o => o.MaxConcurrentActivityFunctions >= 1, "extensions:durableTask:maxConcurrentActivityFunctions must be at least 1.")
            .Validate(o => o.MaxConcurrentOrchestratorFunctions >= 1, "extensions:durableTask:maxConcurrentOrchestratorFunctions must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DurableTaskOptions>>().Value);
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<PayloadStore>();
        services.AddSingleton<HistoryStore>();
        services.AddSingleton<InstanceStore>();
        services.AddSingleton<MessageQueues>();
        services.AddSingleton<InstanceNotifier>();
        services.AddSingleton<OrchestrationExecutor>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PartitionFence>();
        services.AddSingleton<ActivityDispatcher>();
        services.AddSingleton<EpisodeProcessor>();
        services.AddSingleton<OrchestrationDispatcher>();
        services.AddSingleton<IPartitionManager, LeasePartitionManager>();
        services.AddSingleton<DurableTaskClient, StorageDurableTaskClient>();
        services.AddHostedService<DurableTaskWorker>();
        return services;
    }
}
