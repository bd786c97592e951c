namespace Ratify.Functions.Security;

/// <summary>API key settings, bound from the <c>Ratify</c> configuration section.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify";

    /// <summary>
    /// An admin key of tenant <c>default</c> accepted from the first start (<c>Ratify:BootstrapAdminKey</c>,
    /// environment <c>Ratify__BootstrapAdminKey</c>); it may also create keys for any tenant. Default: none.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>
    /// How long a host remembers a key lookup (<c>Ratify:ApiKeyCacheDuration</c>). A key revoked through another host
    /// keeps working on this one for at most this long; revoking through this host takes effect at once. Default: 30 s.
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
