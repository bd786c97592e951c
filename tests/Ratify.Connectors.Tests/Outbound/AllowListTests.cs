using System.Net;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Tests.Outbound;

public sealed class AllowListTests
{
    [Fact]
    public void Parse_HostWithoutPort_AllowsEveryPort()
    {
        var list = AllowList.Parse("internal.example");

        Assert.True(list.AllowsHost("internal.example", 80));
        Assert.True(list.AllowsHost("INTERNAL.example.", 8443));
        Assert.False(list.AllowsHost("other.example", 80));
    }

    [Fact]
    public void Parse_HostWithPort_AllowsOnlyThatPort()
    {
        var list = AllowList.Parse("internal.example:8080");

        Assert.True(list.AllowsHost("internal.example", 8080));
        Assert.False(list.AllowsHost("internal.example", 80));
    }

    [Fact]
    public void Parse_Ipv4WithAndWithoutPort_MatchesAddresses()
    {
        var list = AllowList.Parse(" 10.0.0.5 , 127.0.0.1:5000 ");

        Assert.True(list.AllowsAddress(IPAddress.Parse("10.0.0.5"), 1234));
        Assert.True(list.AllowsAddress(IPAddress.Parse("127.0.0.1"), 5000));
        Assert.False(list.AllowsAddress(IPAddress.Parse("127.0.0.1"), 5001));
        Assert.True(list.AllowsAddress(IPAddress.Parse("::ffff:127.0.0.1"), 5000));
    }

    [Fact]
    public void Parse_Ipv6InBracketsOrBare_MatchesAddresses()
    {
        var list = AllowList.Parse("[::1]:9000,[fd00::1],fe80::2");

        Assert.True(list.AllowsAddress(IPAddress.IPv6Loopback, 9000));
        Assert.False(list.AllowsAddress(IPAddress.IPv6Loopback, 9001));
        Assert.True(list.AllowsAddress(IPAddress.Parse("fd00::1"), 1));
        Assert.True(list.AllowsAddress(IPAddress.Parse("fe80::2"), 1));
    }

    [Fact]
    public void Parse_Empty_AllowsNothing()
    {
        var list = AllowList.Parse(null);

        Assert.False(list.AllowsHost("localhost", 80));
        Assert.False(list.AllowsAddress(IPAddress.Loopback, 80));
    }

    [Theory]
    [InlineData("host:notaport")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("bad host")]
    public void Parse_BadEntry_ThrowsNamingTheEntryAndKey(string entry)
    {
        var error = Assert.Throws<FormatException>(() => AllowList.Parse("ok.example," + entry));

        Assert.Contains(entry, error.Message, StringComparison.Ordinal);
        Assert.Contains("Ratify:Outbound:AllowedHosts", error.Message, StringComparison.Ordinal);
    }
}
