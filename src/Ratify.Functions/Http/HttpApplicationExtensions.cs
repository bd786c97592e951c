using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Ratify.Functions.Http;

/// <summary>Puts the HTTP edge into the request pipeline.</summary>
public static class HttpApplicationExtensions
{
    /// <summary>
    /// Exceptions and bare error statuses become problem+json; oversized bodies are refused; each request's storage work gets
    /// its deadline. Call first.
    /// </summary>
    public static IApplicationBuilder UseRatifyHttp(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<StorageBudgetMiddleware>();
        return app;
    }

    /// <summary>
    /// Refuses JSON bodies with malformed text (invalid UTF-8, lone surrogates) with a 400 naming each place. Call after
    /// authentication and authorization, so that only callers who may use the endpoint have their bodies read.
    /// </summary>
    public static IApplicationBuilder UseJsonTextChecks(this IApplicationBuilder app)
    {
        app.UseMiddleware<JsonTextMiddleware>();
        return app;
    }

    /// <summary>Marks every <c>/v1/approvals</c> response <c>Cache-Control: no-store</c> and <c>Referrer-Policy: no-referrer</c>.</summary>
    public static IApplicationBuilder UseApprovalHeaders(this IApplicationBuilder app) => app.UseMiddleware<ApprovalHeadersMiddleware>();

    /// <summary>Maps the OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/docs</c> (no authentication).</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        // Generating the document is slow work of its own on a busy host, and none of it waits for storage.
        app.MapOpenApi().AllowAnonymous().WithMetadata(NoStorageBudgetMetadata.Instance);
        app.MapScalarApiReference("/docs", o =>
        {
            o.Title = "Ratify API";
            o.Telemetry = false;
        }).AllowAnonymous().WithMetadata(NoStorageBudgetMetadata.Instance);
        return app;
    }
}
