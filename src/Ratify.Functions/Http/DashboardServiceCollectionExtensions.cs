using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ratify.Functions.Rendering;

namespace Ratify.Functions.Http;

/// <summary>Registers what the dashboard's endpoints use.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the artifact renderer the dashboard shares with the approver page.</summary>
    public static IServiceCollection AddRatifyDashboard(this IServiceCollection services)
    {
        services.TryAddSingleton<ArtifactHtmlRenderer>();
        return services;
    }
}
