using Microsoft.AspNetCore.Http;

namespace Ratify.Functions.Http;

/// <summary>The dashboard's page and files carry a strict Content-Security-Policy, refuse framing and sniffing, and send no referrer.</summary>
internal sealed class DashboardHeadersMiddleware(RequestDelegate next)
{
    /// <summary>Own scripts, styles and API only; no inline code, no plug-ins, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        if (IsDashboard(context.Request.Path))
        {
            // OnStarting: the exception handler clears headers set earlier, not this callback.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    private static bool IsDashboard(PathString path) =>
        path == "/" || path.Equals("/index.html", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase);
}
