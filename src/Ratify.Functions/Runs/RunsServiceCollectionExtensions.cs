using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Events;
using Ratify.Functions.Hosting;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>Registers what the runs API needs: the run, step-result and idempotency stores, the launcher and the run controls.</summary>
public static class RunsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the run events (<see cref="RunEventLog"/>, <see cref="RunEventPublisher"/>, <see cref="RunEventSignal"/>), <see cref="RunStore"/>, <see cref="StepResultStore"/>, <see cref="StepAttemptStore"/>, <see cref="StepAttemptResultStore"/>, <see cref="IdempotencyStore"/>, <see cref="RunStartNotes"/>, <see cref="RunLauncher"/>, <see cref="RunStartRecovery"/>,
    /// <see cref="RunStarter"/>, <see cref="RunView"/>, <see cref="RunActions"/>, <see cref="AppBlobs"/> and <see cref="TimeProvider.System"/>.
    /// </summary>
    /// <remarks>
    /// Needs <c>AddRatifyStorage</c>, <c>AddRatifyWorkflows</c>, <c>AddRatifyConnectors</c> and the durable runtime
    /// (<c>DurableTaskClient</c>) registered as well; the order of the calls does not matter.
    /// </remarks>
    public static IServiceCollection AddRatifyRuns(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AppBlobs(
            sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<IOptions<TaskHubOptions>>().Value.HubName));
        services.TryAddSingleton<RunEventSignal>();
        services.TryAddSingleton<RunEventLog>();
        services.TryAddSingleton<RunEventPublisher>();
        services.TryAddSingleton<RunEventFollower>();
        services.TryAddSingleton<TenantEventFollower>();
        services.TryAddSingleton<StreamTicketSigner>();
        services.AddOptions<RunStreamOptions>()
            .BindConfiguration(RunStreamOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.KeepAlive > TimeSpan.Zero, "Ratify:Stream:PollInterval and Ratify:Stream:KeepAlive must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<StepResultStore>();
        services.TryAddSingleton<StepAttemptStore>();
        services.TryAddSingleton<StepAttemptResultStore>();
        services.TryAddSingleton<RunPurger>();
        services.TryAddSingleton<IdempotencyStore>();
        services.TryAddSingleton<RunStartNotes>();
        services.TryAddSingleton<RunLauncher>();
        services.AddHostedService<RunStartRecovery>();
        services.TryAddSingleton<RunStarter>();
        services.TryAddSingleton<RunView>();
        services.TryAddSingleton<RunActions>();
        services.TryAddSingleton<ApprovalReuseCheck>();
        return services;
    }
}
