using System.Net;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Tests.Outbound;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("192.0.0.192", "special-purpose")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("::ffff:100.64.0.1", "carrier-grade NAT")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("2002:7f00:1::", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "metadata")]
    [InlineData("::7f00:1", "IPv4-compatible")]
    [InlineData("2001::1", "Teredo")]
    public void WhyRefused_InternalAddress_NamesTheKind(string address, string kind)
    {
        var reason = AddressPolicy.WhyRefused(IPAddress.Parse(address));

        Assert.NotNull(reason);
        Assert.Contains(kind, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void WhyRefused_PublicAddress_ReturnsNull(string address) =>
        Assert.Null(AddressPolicy.WhyRefused(IPAddress.Parse(address)));

    [Theory]
    [InlineData("metadata.google.internal")]
    [InlineData("METADATA.google.internal.")]
    [InlineData("localhost")]
    [InlineData("api.localhost")]
    public void WhyRefused_InternalHostName_ReturnsReason(string host) =>
        Assert.NotNull(AddressPolicy.WhyRefused(host));

    [Fact]
    public void WhyRefused_OrdinaryHostName_ReturnsNull() =>
        Assert.Null(AddressPolicy.WhyRefused("api.example.com"));
}
