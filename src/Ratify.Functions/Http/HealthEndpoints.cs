using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ratify.Functions.Http;

/// <summary>The liveness and readiness probe: healthy once storage answers.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /healthz</c> (no authentication).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Whether this host can serve requests (storage answers)")
            .WithTags("Health")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous()

            // The storage probe has its own short timeout and answers 503 itself.
            .WithMetadata(NoStorageBudgetMetadata.Instance);
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> GetHealthAsync(
        HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        if (report.Status != HealthStatus.Unhealthy)
        {
            return TypedResults.Ok(new HealthResponse(report.Status == HealthStatus.Healthy ? "healthy" : "degraded"));
        }

        var detail = string.Join(
            " ",
            report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => $"{e.Key}: {e.Value.Description ?? "unhealthy"}"));

        // HealthCheckService has already logged the failure with its exception.
        return ProblemResponses.Result(StatusCodes.Status503ServiceUnavailable, detail);
    }
}
