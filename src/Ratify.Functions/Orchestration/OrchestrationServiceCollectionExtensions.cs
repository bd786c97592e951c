using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ratify.Durable;

namespace Ratify.Functions.Orchestration;

/// <summary>Registers the Durable Task worker and client, on Ratify's Azure Storage backend, with the run orchestrator and its activities.</summary>
public static class OrchestrationServiceCollectionExtensions
{
    public static IServiceCollection AddRatifyOrchestration(this IServiceCollection services)
    {
        // The stores the activities write (RunStore, StepResultStore) come from AddRatifyRuns.
        services.AddMemoryCache();
        services.TryAddSingleton<RunScopeReader>();
        services.TryAddSingleton<LocalAttempts>();
        services.AddOptions<RunCancellationOptions>().BindConfiguration(RunCancellationOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{RunCancellationOptions.Section}:PollInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RunCancellations>();
        services.AddHostedService(sp => sp.GetRequiredService<RunCancellations>());

        // camelCase payloads, as the Functions isolated worker's default serializer writes them.
        services.AddSingleton<DataConverter>(new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        services.AddDurableTaskWorker(builder => builder.AddTasks(registry => registry.AddRatifyOrchestration()).UseAzureStorage());
        services.AddDurableTaskClient(builder => builder.UseAzureStorage());
        return services;
    }
}
