namespace Ratify.Functions.Http;

/// <summary>Request rate limits, bound from <c>Ratify:RateLimits</c>; a request over a limit is answered 429 with <c>Retry-After</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify:RateLimits";

    /// <summary>Deliveries per minute to one inbound webhook (<c>Ratify:RateLimits:HookRequestsPerMinute</c>); 0 turns the limit off. Default: 120.</summary>
    public int HookRequestsPerMinute { get; set; } = 120;

    /// <summary>Sustained requests per second with one API key (<c>Ratify:RateLimits:KeyRequestsPerSecond</c>); 0 turns the limit off. Default: 200.</summary>
    public int KeyRequestsPerSecond { get; set; } = 200;

    /// <summary>The burst one API key may send above its rate (<c>Ratify:RateLimits:KeyBurst</c>). Default: 400.</summary>
    public int KeyBurst { get; set; } = 400;
}
