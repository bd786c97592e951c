using System.Globalization;
using System.Net;

namespace Ratify.Connectors.Outbound;

/// <summary>The parsed <c>Ratify:Outbound:AllowedHosts</c>: hosts or addresses, each optionally limited to one port.</summary>
internal sealed class AllowList
{
    private readonly List<Entry> _entries;

    private AllowList(List<Entry> entries)
    {
        _entries = entries;
    }

    public static AllowList Empty { get; } = new([]);

    /// <summary>Parses the comma-separated list; throws <see cref="FormatException"/> naming a bad entry.</summary>
    public static AllowList Parse(string? text)
    {
        var entries = new List<Entry>();
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            entries.Add(ParseEntry(raw));
        }

        return new AllowList(entries);
    }

    /// <summary>True when the host name (as written in the URL) is allowed on this port.</summary>
    public bool AllowsHost(string host, int port) =>
        _entries.Any(e => e.Host is not null && e.Host == NormalizeName(host) && (e.Port is null || e.Port == port));

    /// <summary>True when the address is allowed on this port.</summary>
    public bool AllowsAddress(IPAddress address, int port)
    {
        var normalized = Normalize(address);
        return _entries.Any(e => e.Address is not null && e.Address.Equals(normalized) && (e.Port is null || e.Port == port));
    }

    public static string NormalizeName(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static Entry ParseEntry(string raw)
    {
        string hostPart = raw;
        int? port = null;
        if (raw.StartsWith('['))
        {
            var close = raw.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(raw);
            }

            hostPart = raw[1..close];
            var rest = raw[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? ParsePort(rest[1..], raw) : throw Bad(raw);
            }
        }
        else if (raw.Count(c => c == ':') == 1)
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            hostPart = raw[..colon];
            port = ParsePort(raw[(colon + 1)..], raw);
        }

        // More than one colon without brackets is a bare IPv6 address.
        if (IPAddress.TryParse(hostPart, out var address))
        {
            return new Entry(null, Normalize(address), port);
        }

        var name = NormalizeName(hostPart);
        return Uri.CheckHostName(name) == UriHostNameType.Dns ? new Entry(name, null, port) : throw Bad(raw);
    }

    private static int ParsePort(string text, string raw) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Bad(raw);

    private static FormatException Bad(string raw) =>
        new($"'{raw}' in {OutboundOptions.SectionName}:AllowedHosts is not a host, IP address, host:port or [IPv6]:port");

    private sealed record Entry(string? Host, IPAddress? Address, int? Port);
}
