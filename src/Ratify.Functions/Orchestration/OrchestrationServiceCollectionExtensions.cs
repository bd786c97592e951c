using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ratify.Durable;
using Ratify.Functions.Hosting;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Orchestration;

/// <summary>Registers the durable runtime with the run orchestrator, its activities, and the stores they write.</summary>
public static class OrchestrationServiceCollectionExtensions
{
    public static IServiceCollection AddRatifyOrchestration(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AppBlobs(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<TaskHubOptions>>().Value.HubName));
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<StepResultStore>();
        services.AddDurableTask(registry => registry.AddRatifyOrchestration());
        return services;
    }
}
