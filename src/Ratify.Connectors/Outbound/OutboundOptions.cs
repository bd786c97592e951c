namespace Ratify.Connectors.Outbound;

/// <summary>Settings of the SSRF guard shared by every outbound connector (configuration section <c>Ratify:Outbound</c>).</summary>
public sealed class OutboundOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ratify:Outbound";

    /// <summary>
    /// Comma-separated hosts or IP addresses, each with an optional <c>:port</c> (IPv6 in brackets), that may be
    /// reached even though they resolve to loopback, private or other internal addresses. Default: none.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>How long establishing one TCP connection may take. Default: 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many redirects one call follows, each checked again. Default: 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The largest response body a connector reads. Default: 10 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 10 * 1024 * 1024;
}
