using System.Net;
using Microsoft.AspNetCore.Http;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Outbound;

/// <summary>Redirects are followed by hand, and every hop goes through the guard again.</summary>
public sealed class RedirectTests : TimedTest
{
    [Fact]
    public async Task A_redirect_from_an_allowed_server_to_a_forbidden_address_is_refused_without_reaching_it()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);
        var target = Uri.EscapeDataString($"http://127.0.0.1:{sentinel.Port}/internal");

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/redirect?to=" + target)}}"}"""), Timeout);

        SsrfGuardTests.AssertBlocked(result, "127.0.0.1");
        Assert.False(sentinel.WasReached);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_redirect_to_the_metadata_address_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);
        var target = Uri.EscapeDataString("http://169.254.169.254/latest/meta-data/");

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/redirect?to=" + target)}}"}"""), Timeout);

        SsrfGuardTests.AssertBlocked(result, "169.254.169.254");
    }

    [Fact]
    public async Task A_redirect_to_a_file_URL_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/redirect?to=file:///etc/passwd")}}"}"""), Timeout);

        Assert.Equal("ssrf_blocked", result.Failure?.Code);
        Assert.Contains("scheme", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_target_is_followed()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/redirect?to=/ok")}}"}"""), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("world", result.Output!["body"]!["hello"]!.GetValue<string>());
        Assert.Equal(["/redirect", "/ok"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_five_hops()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{server.Url("/loop")}}"}"""), Timeout);

        Assert.Equal("too_many_redirects", result.Failure?.Code);
        Assert.False(result.Failure!.Retryable);
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task A_303_after_a_POST_becomes_a_GET_without_body_and_a_307_keeps_both()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        await host.ExecuteAsync("http", Args.Of($$"""{"method": "POST", "url": "{{server.Url("/redirect?status=303&to=/ok")}}", "body": {"a": 1} }"""), Timeout);
        await host.ExecuteAsync("http", Args.Of($$"""{"method": "POST", "url": "{{server.Url("/redirect?status=307&to=/ok")}}", "body": {"a": 2} }"""), Timeout);

        var followed = server.Requests.Where(r => r.Path == "/ok").ToList();
        Assert.Equal("GET", followed[0].Method);
        Assert.Empty(followed[0].Body);
        Assert.Equal("POST", followed[1].Method);
        Assert.Equal(2, followed[1].Json!["a"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_redirect_to_another_origin_drops_the_Authorization_header()
    {
        await using var first = await LoopbackServer.StartAsync(Timeout);
        await using var second = await LoopbackServer.StartAsync(Timeout);
        await using var host = ConnectorHost.Allowing($"{first.AllowEntry},{second.AllowEntry}");
        var target = Uri.EscapeDataString(second.Url("/ok"));

        var result = await host.ExecuteAsync("http", Args.Of($$"""
            {"method": "GET", "url": "{{first.Url("/redirect?to=" + target)}}", "headers": {"Authorization": "Bearer abc123", "X-Trace": "t1"} }
            """), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("Bearer abc123", first.Requests.Single().Header("Authorization"));
        Assert.Null(second.Requests.Single().Header("Authorization"));
        Assert.Equal("t1", second.Requests.Single().Header("X-Trace"));
    }

    [Fact]
    public async Task A_redirect_within_the_same_origin_keeps_the_Authorization_header()
    {
        await using var server = await LoopbackServer.StartAsync(Timeout);
        server.Map("/secure", (context, request) => context.Response.WriteAsync(request.Header("Authorization") ?? "none"));
        await using var host = ConnectorHost.Allowing(server.AllowEntry);

        var result = await host.ExecuteAsync("http", Args.Of($$"""
            {"method": "GET", "url": "{{server.Url("/redirect?to=/secure")}}", "headers": {"Authorization": "Bearer abc123"} }
            """), Timeout);

        Assert.Equal("Bearer abc123", server.Requests.Last().Header("Authorization"));
        Assert.Equal("***", result.Output!["body"]!.GetValue<string>());
    }
}
