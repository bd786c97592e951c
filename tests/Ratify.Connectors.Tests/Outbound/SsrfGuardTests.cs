using System.Net;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Outbound;

/// <summary>Forbidden destinations are refused before any connection is made, whatever form the address takes.</summary>
public sealed class SsrfGuardTests : TimedTest
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://localhost:{port}/")]
    [InlineData("http://LOCALHOST.:{port}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/")]
    [InlineData("http://[::ffff:7f00:1]:{port}/")]
    [InlineData("http://2130706433:{port}/")]
    [InlineData("http://0177.0.0.1:{port}/")]
    [InlineData("http://0x7f.0.0.1:{port}/")]
    [InlineData("http://127.1:{port}/")]
    [InlineData("http://0.0.0.0:{port}/")]
    [InlineData("http://0:{port}/")]
    [InlineData("https://127.0.0.1:{port}/")]
    public async Task A_loopback_address_in_any_form_is_refused_and_the_listener_behind_it_sees_no_connection(string template)
    {
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);
        await using var host = ConnectorHost.Allowing(null);
        var url = template.Replace("{port}", sentinel.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{url}}"}"""), Timeout);

        AssertBlocked(result, new Uri(url).Host.Trim('[', ']'));
        Assert.False(sentinel.WasReached);
    }

    [Fact]
    public async Task The_IPv6_loopback_address_is_refused_and_its_listener_sees_no_connection()
    {
        using var sentinel = new ConnectionSentinel(IPAddress.IPv6Loopback);
        await using var host = ConnectorHost.Allowing(null);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://[::1]:{{sentinel.Port}}/"}"""), Timeout);

        AssertBlocked(result, "::1");
        Assert.False(sentinel.WasReached);
    }

    [Theory]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://10.255.255.254:8080/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://172.31.255.254/")]
    [InlineData("http://192.168.0.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://169.254.0.1/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://100.100.100.200/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fc00::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://[::]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[2002:a9fe:a9fe::1]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://2852039166/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    public async Task An_internal_address_or_metadata_host_is_refused_as_ssrf_blocked(string url)
    {
        await using var host = ConnectorHost.Allowing(null);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{url}}"}"""), Timeout);

        AssertBlocked(result, new Uri(url).Host.Trim('[', ']'));
    }

    [Fact]
    public async Task An_allow_list_entry_with_a_port_opens_that_port_only()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var allowed = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/ok")}}"}"""), Timeout);
        var refused = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://127.0.0.1:{{sentinel.Port}}/"}"""), Timeout);

        Assert.True(allowed.Succeeded, allowed.Failure?.Message);
        AssertBlocked(refused, "127.0.0.1");
        Assert.False(sentinel.WasReached);
    }

    [Fact]
    public async Task An_allow_list_entry_without_a_port_opens_every_port_of_that_address()
    {
        await using var first = await LoopbackServer.StartAsync(Timeout);
        await using var second = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing("127.0.0.1");

        var a = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{first.Url("/ok")}}"}"""), Timeout);
        var b = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{second.Url("/ok")}}"}"""), Timeout);

        Assert.True(a.Succeeded, a.Failure?.Message);
        Assert.True(b.Succeeded, b.Failure?.Message);
    }

    [Fact]
    public async Task An_allow_listed_host_name_is_reached_through_its_resolved_address()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing($"localhost:{server.Port}");

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://localhost:{{server.Port}}/ok"}"""), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_allow_listed_address_is_also_reached_through_its_mapped_IPv6_form()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://[::ffff:127.0.0.1]:{{server.Port}}/ok"}"""), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    public async Task A_scheme_other_than_http_or_https_is_refused_before_any_call(string url)
    {
        await using var host = ConnectorHost.Allowing(null);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{url}}"}"""), Timeout);

        Assert.Equal("invalid_arguments", result.Failure?.Code);
        Assert.False(result.Failure!.Retryable);
    }

    internal static void AssertBlocked(ConnectorResult result, string host)
    {
        Assert.False(result.Succeeded);
        Assert.Equal("ssrf_blocked", result.Failure!.Code);
        Assert.False(result.Failure.Retryable);
        Assert.Contains(host, result.Failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Failure.Message, StringComparison.Ordinal);
    }
}
