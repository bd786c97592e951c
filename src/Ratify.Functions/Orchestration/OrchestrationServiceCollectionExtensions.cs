using Microsoft.Extensions.DependencyInjection.Extensions;
using Ratify.Durable;

namespace Ratify.Functions.Orchestration;

/// <summary>Registers the durable runtime with the run orchestrator and its activities.</summary>
public static class OrchestrationServiceCollectionExtensions
{
    public static IServiceCollection AddRatifyOrchestration(this IServiceCollection services)
    {
        // The stores the activities write (RunStore, StepResultStore) come from AddRatifyRuns.
        services.AddMemoryCache();
        services.TryAddSingleton<RunScopeReader>();
        services.AddDurableTask(registry => registry.AddRatifyOrchestration());
        return services;
    }
}
