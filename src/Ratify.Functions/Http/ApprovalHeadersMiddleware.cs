using Microsoft.AspNetCore.Http;

namespace Ratify.Functions.Http;

/// <summary>Every approvals response, errors included, is never cached and never leaks its URL (which may hold a token) as a referrer.</summary>
internal sealed class ApprovalHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/v1/approvals", StringComparison.OrdinalIgnoreCase))
        {
            // OnStarting: the exception handler clears headers set earlier, not this callback.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
        }

        return next(context);
    }
}
