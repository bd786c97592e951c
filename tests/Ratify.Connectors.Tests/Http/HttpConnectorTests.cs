using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Http;

/// <summary>The http connector against a real loopback server.</summary>
public sealed class HttpConnectorTests : TimedTest, IAsyncLifetime
{
    private LoopbackServer _server = null!;
    private ConnectorHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(Timeout);
        _host = ConnectorHost.Allowing(_server.AllowEntry, ("Ratify:Secrets:API_TOKEN", "tok-9f8e7d6c5b"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_GET_returns_status_headers_and_the_JSON_body_parsed()
    {
        var result = await CallAsync($$"""{"method": "GET", "url": "{{_server.Url("/ok")}}"}""");

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(200, result.Output!["status"]!.GetValue<int>());
        Assert.StartsWith("application/json", result.Output["headers"]!["content-type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(42, result.Output["body"]!["n"]!.GetValue<int>());
        Assert.Empty(result.Artifacts);
    }

    [Fact]
    public async Task A_text_body_is_returned_as_a_string()
    {
        var result = await CallAsync($$"""{"method": "get", "url": "{{_server.Url("/text")}}"}""");

        Assert.Equal("plain words", result.Output!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_headers_and_a_JSON_body_are_sent_as_given()
    {
        var result = await CallAsync($$"""
            {"method": "POST", "url": "{{_server.Url("/ok?keep=1")}}", "query": {"q": "a b", "tag": ["x", "y"], "n": 3},
             "headers": {"Authorization": "Bearer tok-9f8e7d6c5b", "X-Flag": true}, "body": {"deal": 7, "name": "Zoë"} }
            """);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var request = _server.Requests.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("?keep=1&q=a%20b&tag=x&tag=y&n=3", request.Query);
        Assert.Equal("Bearer tok-9f8e7d6c5b", request.Header("Authorization"));
        Assert.Equal("true", request.Header("X-Flag"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Zoë", request.Json!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_string_body_is_sent_as_text_unless_a_content_type_is_given()
    {
        await CallAsync($$"""{"method": "PUT", "url": "{{_server.Url("/ok")}}", "body": "hello"}""");
        await CallAsync($$"""{"method": "PUT", "url": "{{_server.Url("/ok")}}", "body": "<a/>", "headers": {"Content-Type": "application/xml"} }""");

        Assert.StartsWith("text/plain", _server.Requests[0].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("hello", _server.Requests[0].BodyText);
        Assert.Equal("application/xml", _server.Requests[1].Header("Content-Type"));
    }

    [Fact]
    public async Task A_429_is_retryable_and_carries_Retry_After_in_seconds()
    {
        var result = await CallAsync($$"""{"method": "GET", "url": "{{_server.Url("/status/429?retryAfter=7")}}"}""");

        Assert.Equal("http_status", result.Failure!.Code);
        Assert.True(result.Failure.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Failure.RetryAfter);
        Assert.Equal(429, result.Failure.Details!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_Retry_After_date_is_turned_into_a_delay_from_now()
    {
        var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await using var host = new ConnectorHost(
            new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = _server.AllowEntry },
            services => services.AddSingleton<TimeProvider>(new FixedTime(now)));
        var date = Uri.EscapeDataString(now.AddSeconds(90).ToString("R"));

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{_server.Url("/status/503?retryAfter=" + date)}}"}"""), Timeout);

        Assert.True(result.Failure!.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(90), result.Failure.RetryAfter);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(408, true)]
    [InlineData(404, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    public async Task A_failing_status_is_retryable_only_for_5xx_408_and_429(int status, bool retryable)
    {
        var result = await CallAsync($$"""{"method": "GET", "url": "{{_server.Url($"/status/{status}")}}"}""");

        Assert.Equal("http_status", result.Failure!.Code);
        Assert.Equal(retryable, result.Failure.Retryable);
        Assert.Null(result.Failure.RetryAfter);
        Assert.Contains($"answered {status}", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains($"status {status}", result.Failure.Details!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_echoed_in_an_error_body_or_sent_in_the_query_is_redacted()
    {
        var result = await CallAsync($$"""{"method": "GET", "url": "{{_server.Url("/status/404")}}", "query": {"echo": "tok-9f8e7d6c5b"} }""");

        var text = result.Failure!.Message + result.Failure.Details!.ToJsonString();
        Assert.DoesNotContain("tok-9f8e7d6c5b", text, StringComparison.Ordinal);
        Assert.Contains("***", result.Failure.Details!["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_retryable_timeout()
    {
        var result = await CallAsync($$"""{"method": "GET", "url": "{{_server.Url("/slow")}}", "timeout": "300ms"}""");

        Assert.Equal("timeout", result.Failure!.Code);
        Assert.True(result.Failure.Retryable);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        var port = Ratify.Testing.FreePort.Next();
        await using var host = ConnectorHost.Allowing($"127.0.0.1:{port}");

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "http://127.0.0.1:{{port}}/"}"""), Timeout);

        Assert.Equal("connection_failed", result.Failure!.Code);
        Assert.True(result.Failure.Retryable);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused()
    {
        await using var host = ConnectorHost.Allowing(_server.AllowEntry, ("Ratify:Outbound:MaxResponseBytes", "10"));

        var result = await host.ExecuteAsync("http", Args.Of($$"""{"method": "GET", "url": "{{_server.Url("/ok")}}"}"""), Timeout);

        Assert.Equal("response_too_large", result.Failure!.Code);
    }

    [Fact]
    public async Task A_rendered_argument_of_the_wrong_type_fails_without_a_call()
    {
        var result = await CallAsync($$"""{"method": "FETCH", "url": "{{_server.Url("/ok")}}"}""");

        Assert.Equal("invalid_arguments", result.Failure!.Code);
        Assert.Equal("/method", result.Failure.Details!["pointer"]!.GetValue<string>());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Every_execution_of_a_step_carries_the_same_Idempotency_Key_unless_the_step_sets_its_own()
    {
        var http = _host.Connector("http");
        var arguments = Args.Of($$"""{"method": "POST", "url": "{{_server.Url("/ok")}}", "body": {"n": 1} }""");
        await http.ExecuteAsync(_host.Context(arguments), Timeout);
        await http.ExecuteAsync(_host.Context(arguments), Timeout); // run again after a takeover
        await CallAsync($$"""{"method": "POST", "url": "{{_server.Url("/ok")}}", "headers": {"idempotency-key": "crm-7"} }""");

        Assert.Equal(["run1:step1", "run1:step1", "crm-7"], _server.Requests.Select(r => r.Header("Idempotency-Key")));
    }

    private Task<ConnectorResult> CallAsync(string arguments) => _host.ExecuteAsync("http", Args.Of(arguments), Timeout);
}
