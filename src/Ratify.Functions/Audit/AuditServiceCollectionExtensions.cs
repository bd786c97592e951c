using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ratify.Functions.Audit;

/// <summary>Registers the audit trail: the signer, the appender and the reader.</summary>
public static class AuditServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AuditSigner"/>, <see cref="AuditTrail"/>, <see cref="AuditReader"/>, <see cref="AuditExporter"/> and <see cref="StepAuditor"/>, bound from <c>Ratify:Audit</c>.</summary>
    public static IServiceCollection AddRatifyAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.CheckpointEvery >= 0, $"{AuditOptions.Section}:CheckpointEvery must be 0 (off) or more.")
            .Validate(o => o.CheckpointInterval >= TimeSpan.Zero, $"{AuditOptions.Section}:CheckpointInterval must be zero (off) or positive.");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditSigner>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditReader>();
        services.TryAddSingleton<AuditExporter>();
        services.TryAddSingleton<StepAuditor>();
        return services;
    }
}
