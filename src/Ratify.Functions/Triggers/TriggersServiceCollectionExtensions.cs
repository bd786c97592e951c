using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ratify.Functions.Http;

namespace Ratify.Functions.Triggers;

/// <summary>Registers cron schedules (store, evaluator, the lease-guarded scheduler) and inbound webhooks.</summary>
public static class TriggersServiceCollectionExtensions
{
    /// <summary>Adds the triggers; needs <c>AddRatifyStorage</c>, <c>AddRatifyWorkflows</c>, <c>AddRatifyRuns</c> and <c>AddRatifyConnectors</c>.</summary>
    public static IServiceCollection AddRatifyTriggers(this IServiceCollection services)
    {
        services.AddOptions<TriggerOptions>()
            .BindConfiguration(TriggerOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Ratify:Triggers:PollInterval must be positive.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(15) && o.LeaseDuration <= TimeSpan.FromSeconds(60),
                "Ratify:Triggers:LeaseDuration must be 15 to 60 seconds (a blob lease's range).")
            .Validate(o => o.MissedAfter > TimeSpan.Zero, "Ratify:Triggers:MissedAfter must be positive.")
            .Validate(o => o.RepairInterval > TimeSpan.Zero, "Ratify:Triggers:RepairInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<ScheduleStore>();
        services.TryAddSingleton<TriggeredRunLauncher>();
        services.TryAddSingleton<ScheduleEvaluator>();
        services.TryAddSingleton<WorkflowSchedules>();
        services.TryAddSingleton<HookDependencies>();
        services.AddHostedService<CronScheduler>();
        return services;
    }
}
