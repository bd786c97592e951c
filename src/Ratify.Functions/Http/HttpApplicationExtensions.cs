using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Ratify.Functions.Http;

/// <summary>Puts the HTTP edge into the request pipeline.</summary>
public static class HttpApplicationExtensions
{
    /// <summary>Exceptions and bare error statuses become problem+json; oversized bodies are refused. Call first.</summary>
    public static IApplicationBuilder UseRatifyHttp(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }

    /// <summary>Marks every <c>/v1/approvals</c> response <c>Cache-Control: no-store</c> and <c>Referrer-Policy: no-referrer</c>.</summary>
    public static IApplicationBuilder UseApprovalHeaders(this IApplicationBuilder app) => app.UseMiddleware<ApprovalHeadersMiddleware>();

    /// <summary>Maps the OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/docs</c> (no authentication).</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", o =>
        {
            o.Title = "Ratify API";
            o.Telemetry = false;
        }).AllowAnonymous();
        return app;
    }
}
