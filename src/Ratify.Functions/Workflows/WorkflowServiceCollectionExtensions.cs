using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ratify.Functions.Workflows;

/// <summary>Registers the workflow definition services.</summary>
public static class WorkflowServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ExpressionEngine"/>, <see cref="WorkflowDefinitionParser"/> and <see cref="WorkflowStore"/> (which needs <c>AppTables</c> registered).</summary>
    public static IServiceCollection AddRatifyWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton<ExpressionEngine>();
        services.TryAddSingleton<WorkflowDefinitionParser>();
        services.TryAddSingleton<WorkflowStore>();
        return services;
    }
}
