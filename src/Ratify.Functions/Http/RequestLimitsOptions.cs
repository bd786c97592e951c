namespace Ratify.Functions.Http;

/// <summary>Limits on incoming requests, bound from the <c>Ratify</c> configuration section.</summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify";

    /// <summary>
    /// The largest request body accepted, in bytes (<c>Ratify:MaxRequestBodyBytes</c>); larger bodies get 413. An endpoint
    /// may set its own limit with request size limit metadata. Default: 1 MiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
