using System.Net;
using System.Net.Sockets;

namespace Ratify.Connectors.Outbound;

/// <summary>Says whether an address is internal (loopback, private, link-local, metadata …) and therefore refused.</summary>
internal static class AddressPolicy
{
    private static readonly (IPNetwork Network, string Reason)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.169.254/32"), "the cloud metadata address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        // Special-purpose block; holds e.g. 192.0.0.192, a cloud metadata address.
        (IPNetwork.Parse("192.0.0.0/24"), "a special-purpose address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
    ];

    private static readonly (IPNetwork Network, string Reason)[] V6Ranges =
    [
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        // Deprecated IPv4-compatible form (::a.b.c.d); never routed publicly.
        (IPNetwork.Parse("::/96"), "an IPv4-compatible address"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "a local-use NAT64 address"),
        (IPNetwork.Parse("100::/64"), "a discard-only address"),
        // Teredo hides an IPv4 client address behind a relay; refused outright.
        (IPNetwork.Parse("2001::/32"), "a Teredo address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "the cloud metadata address"),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    // Names that reach instance metadata services without going through DNS on the public internet.
    private static readonly HashSet<string> MetadataNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
    };

    /// <summary>Why the address must not be reached, or null when it is a public address.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(V4Ranges, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        // Forms that embed an IPv4 address are judged by the address they carry.
        if (address.IsIPv4MappedToIPv6)
        {
            return WhyRefused(address.MapToIPv4());
        }

        var unscoped = new IPAddress(address.GetAddressBytes());
        if (Nat64.Contains(unscoped))
        {
            return WhyRefused(new IPAddress(unscoped.GetAddressBytes()[12..16]));
        }

        if (SixToFour.Contains(unscoped))
        {
            return WhyRefused(new IPAddress(unscoped.GetAddressBytes()[2..6]));
        }

        return Match(V6Ranges, unscoped);
    }

    /// <summary>Why a host name must not be reached before any lookup, or null.</summary>
    public static string? WhyRefused(string host)
    {
        var name = AllowList.NormalizeName(host);
        if (MetadataNames.Contains(name))
        {
            return "a cloud metadata host name";
        }

        return name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal) ? "a loopback host name" : null;
    }

    private static string? Match((IPNetwork Network, string Reason)[] ranges, IPAddress address)
    {
        foreach (var (network, reason) in ranges)
        {
            if (network.Contains(address))
            {
                return reason;
            }
        }

        return null;
    }
}
