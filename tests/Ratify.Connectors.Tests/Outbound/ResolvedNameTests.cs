using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Outbound;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Outbound;

/// <summary>Host names are judged by what they resolve to, and the connection goes to the address that was checked.</summary>
public sealed class ResolvedNameTests : TimedTest
{
    private readonly Dictionary<string, IPAddress[]> _names = [];
    private int _lookups;

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_and_its_listener_sees_no_connection()
    {
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);
        _names["evil.example"] = [IPAddress.Loopback];
        await using var host = Host(null);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://evil.example:{{sentinel.Port}}/"}"""), Timeout);

        SsrfGuardTests.AssertBlocked(result, "evil.example");
        Assert.Contains("resolves to 127.0.0.1, a loopback address", result.Failure!.Message, StringComparison.Ordinal);
        Assert.False(sentinel.WasReached);
    }

    [Fact]
    public async Task A_host_name_with_one_internal_address_among_public_ones_is_refused()
    {
        _names["mixed.example"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("169.254.169.254")];
        await using var host = Host(null);

        var result = await host.ExecuteAsync("http", Args.Of("""{"method": "GET", "url": "http://mixed.example/"}"""), Timeout);

        SsrfGuardTests.AssertBlocked(result, "mixed.example");
        Assert.Contains("metadata", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_goes_to_the_checked_address_without_a_second_lookup()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        _names["pinned.example"] = [IPAddress.Loopback];
        await using var host = Host(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://pinned.example:{{server.Port}}/ok"}"""), Timeout);

        // The system resolver does not know pinned.example: only the checked address can have been used.
        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal($"pinned.example:{server.Port}", server.Requests.Single().Header("Host"));
        Assert.Equal(1, _lookups);
    }

    [Fact]
    public async Task ResolveAsync_AllowListedHostName_SkipsTheAddressCheck()
    {
        _names["intranet.example"] = [IPAddress.Parse("10.1.2.3")];
        var guard = Guard("intranet.example:443");

        var addresses = await guard.ResolveAsync("intranet.example", 443, Timeout);

        Assert.Equal([IPAddress.Parse("10.1.2.3")], addresses);
        await Assert.ThrowsAsync<OutboundBlockedException>(() => guard.ResolveAsync("intranet.example", 80, Timeout));
    }

    private ConnectorHost Host(string? allowedHosts) => new(
        new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = allowedHosts },
        services => services.AddSingleton(Guard(allowedHosts)));

    private OutboundGuard Guard(string? allowedHosts) => new(
        Options.Create(new OutboundOptions { AllowedHosts = allowedHosts }),
        NullLogger<OutboundGuard>.Instance,
        (name, _) =>
        {
            Interlocked.Increment(ref _lookups);
            return Task.FromResult(_names.TryGetValue(name, out var found) ? found : []);
        });
}
