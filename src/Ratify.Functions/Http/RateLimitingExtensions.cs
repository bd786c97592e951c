using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>ASP.NET Core's rate limiter with Ratify's partitions: per API key for every authenticated call, per hook for inbound webhooks.</summary>
public static class RateLimitingExtensions
{
    /// <summary>The policy name of the inbound webhook endpoints.</summary>
    public const string HookPolicy = "hooks";

    /// <summary>Adds the limiter; 429 answers are problem+json with <c>Retry-After</c> in seconds.</summary>
    public static IServiceCollection AddRatifyRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.HookRequestsPerMinute >= 0, "Ratify:RateLimits:HookRequestsPerMinute must be 0 (off) or more.")
            .Validate(o => o.KeyRequestsPerSecond >= 0 && o.KeyBurst >= o.KeyRequestsPerSecond, "Ratify:RateLimits:KeyBurst must be at least Ratify:RateLimits:KeyRequestsPerSecond.")
            .ValidateOnStart();

        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var settings = limits.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                settings.KeyRequestsPerSecond > 0 && context.User.FindFirst(RatifyClaimTypes.KeyId)?.Value is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter("key:" + keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = settings.KeyBurst,
                        TokensPerPeriod = settings.KeyRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.AddPolicy(HookPolicy, context =>
                settings.HookRequestsPerMinute > 0
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        "hook:" + (context.Request.RouteValues["tenantId"] as string ?? Tenants.Default) + "/" + context.Request.RouteValues["workflowId"],
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.HookRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
        });
        services.AddRateLimiter(_ => { });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(
            context.HttpContext,
            StatusCodes.Status429TooManyRequests,
            $"Too many requests; retry in {seconds} second(s).").ConfigureAwait(false);
    }
}
