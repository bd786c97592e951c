namespace Ratify.Functions.Storage;

/// <summary>How long a request may wait for storage, bound from the <c>Ratify:Storage</c> configuration section.</summary>
public sealed class StorageBudgetOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify:Storage";

    /// <summary>
    /// The time a request's storage calls (timeouts and retries included) may take in total
    /// (<c>Ratify:Storage:RequestTimeout</c>); past it the request is answered 503 with <c>Retry-After</c>. Default: 5 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>Retry-After</c> sent with a 503 when storage is unavailable (<c>Ratify:Storage:RetryAfter</c>). Default: 5 seconds.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
