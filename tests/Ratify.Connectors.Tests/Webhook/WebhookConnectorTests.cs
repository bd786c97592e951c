using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors.Tests.Outbound;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Webhook;

/// <summary>The webhook connector against a real loopback receiver.</summary>
public sealed class WebhookConnectorTests : TimedTest, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private LoopbackServer _server = null!;
    private ConnectorHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(Timeout);
        _host = new ConnectorHost(
            new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = _server.AllowEntry, ["Ratify:Secrets:HOOK"] = "whsec-abcdef" },
            services => services.AddSingleton<TimeProvider>(new FixedTime(Now)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_payload_the_run_and_step_context_is_posted_with_the_idempotency_key()
    {
        var result = await _host.ExecuteAsync("webhook", Args.Of($$"""{"url": "{{_server.Url("/ok")}}"}"""), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(200, result.Output!["status"]!.GetValue<int>());
        var request = _server.Requests.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"runId":"run1","stepId":"step1","attempt":1}""", request.BodyText);
        Assert.Equal("run1:step1", request.Header("Idempotency-Key"));
        Assert.Null(request.Header("X-Ratify-Signature"));
    }

    [Fact]
    public async Task With_a_secret_the_raw_body_is_signed_with_a_timestamp()
    {
        var result = await _host.ExecuteAsync("webhook", Args.Of($$"""
            {"url": "{{_server.Url("/ok")}}", "secret": "whsec-abcdef", "payload": {"deal": 7, "note": "a+b <c>"} }
            """), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var request = _server.Requests.Single();
        var seconds = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = [.. Encoding.UTF8.GetBytes(seconds + "."), .. request.Body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec-abcdef"), signed);
        Assert.Equal($"t={seconds},v1={Convert.ToHexStringLower(expected)}", request.Header("X-Ratify-Signature"));
        Assert.Equal("a+b <c>", request.Json!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_attempt_carries_the_same_idempotency_key()
    {
        var webhook = _host.Connector("webhook");
        var arguments = Args.Of($$"""{"url": "{{_server.Url("/ok")}}"}""");

        await webhook.ExecuteAsync(_host.Context(arguments, attempt: 1), Timeout);
        await webhook.ExecuteAsync(_host.Context(arguments, attempt: 2), Timeout);

        Assert.Equal(["run1:step1", "run1:step1"], _server.Requests.Select(r => r.Header("Idempotency-Key")));
        Assert.Equal([1, 2], _server.Requests.Select(r => r.Json!["attempt"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Custom_headers_are_sent_but_cannot_replace_the_signature_or_key()
    {
        await _host.ExecuteAsync("webhook", Args.Of($$"""
            {"url": "{{_server.Url("/ok")}}", "headers": {"X-Tenant": "t1", "Idempotency-Key": "forged", "X-Ratify-Signature": "forged"} }
            """), Timeout);

        var request = _server.Requests.Single();
        Assert.Equal("t1", request.Header("X-Tenant"));
        Assert.Equal("run1:step1", request.Header("Idempotency-Key"));
        Assert.Null(request.Header("X-Ratify-Signature"));
    }

    [Fact]
    public async Task A_secret_echoed_back_by_the_receiver_never_reaches_the_output_or_the_error()
    {
        _server.Map("/echo", (context, request) =>
        {
            context.Response.StatusCode = request.Header("X-Probe") == "fail" ? 500 : 200;
            return context.Response.WriteAsync("got whsec-abcdef and literal-secret-123");
        });

        var ok = await _host.ExecuteAsync("webhook", Args.Of($$"""{"url": "{{_server.Url("/echo")}}", "secret": "literal-secret-123"}"""), Timeout);
        var failed = await _host.ExecuteAsync("webhook", Args.Of($$"""
            {"url": "{{_server.Url("/echo")}}", "secret": "literal-secret-123", "headers": {"X-Probe": "fail"} }
            """), Timeout);

        Assert.Equal("got *** and ***", ok.Output!["body"]!.GetValue<string>());
        Assert.True(failed.Failure!.Retryable);
        Assert.DoesNotContain("secret", failed.Failure.Details!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_to_a_loopback_address_that_is_not_allowed_is_refused_without_a_connection()
    {
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);

        var result = await _host.ExecuteAsync("webhook", Args.Of($$"""{"url": "http://127.0.0.1:{{sentinel.Port}}/hook"}"""), Timeout);

        SsrfGuardTests.AssertBlocked(result, "127.0.0.1");
        Assert.False(sentinel.WasReached);
    }

    [Fact]
    public void GetSideEffect_Always_Idempotent() =>
        Assert.Equal(SideEffect.Idempotent, _host.Connector("webhook").GetSideEffect(Args.Of("""{"url": "https://x"}""")));

    [Fact]
    public void ValidateArguments_MissingUrlAndBadSecret_ReportsBoth()
    {
        var errors = _host.Connector("webhook").ValidateArguments(Args.Of("""{"secret": 5, "payload": [1]}"""));

        Assert.Equal(["/url", "/secret"], errors.Select(e => e.Pointer));
    }
}
