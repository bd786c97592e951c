using Microsoft.AspNetCore.Http;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Slack;

/// <summary>The slack connector against a loopback stand-in for Slack's incoming webhooks and Web API.</summary>
public sealed class SlackConnectorTests : TimedTest, IAsyncLifetime
{
    private const string Token = "xoxb-test-7788";

    private LoopbackServer _slack = null!;
    private ConnectorHost _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await LoopbackServer.StartAsync(Timeout);
        _slack.Map("/hook", (context, _) => context.Response.WriteAsync("ok"));
        _slack.Map("/api/chat.postMessage", (context, request) => context.Response.WriteAsJsonAsync(request.Json!["channel"]!.GetValue<string>() switch
        {
            "C-missing" => (object)new { ok = false, error = "channel_not_found" },
            "C-busy" => new { ok = false, error = "rate_limited" },
            var channel => new { ok = true, channel, ts = "1700000000.000100" },
        }));
        _host = ConnectorHost.Allowing(_slack.AllowEntry, ("Ratify:Slack:ApiBaseUrl", _slack.Url("/api")));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task An_incoming_webhook_receives_text_and_blocks()
    {
        var result = await _host.ExecuteAsync("slack", Args.Of($$"""
            {"webhookUrl": "{{_slack.Url("/hook")}}", "text": "Deal 7 needs approval",
             "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Deal 7*"} }] }
            """), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.True(result.Output!["ok"]!.GetValue<bool>());
        var sent = _slack.Requests.Single().Json!;
        Assert.Equal("Deal 7 needs approval", sent["text"]!.GetValue<string>());
        Assert.Equal("section", sent["blocks"]![0]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("/hook", result.Output.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("run1:step1", _slack.Requests.Single().Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Buttons_become_an_actions_block_of_link_buttons()
    {
        await _host.ExecuteAsync("slack", Args.Of($$"""
            {"webhookUrl": "{{_slack.Url("/hook")}}", "text": "Approve?",
             "buttons": [{"text": "Approve", "url": "https://ratify.example/a/1?token=x", "style": "primary"}, {"text": "Open", "url": "https://ratify.example/c/1"}]}
            """), Timeout);

        var actions = _slack.Requests.Single().Json!["blocks"]![0]!;
        Assert.Equal("actions", actions["type"]!.GetValue<string>());
        var approve = actions["elements"]![0]!;
        Assert.Equal("button", approve["type"]!.GetValue<string>());
        Assert.Equal("Approve", approve["text"]!["text"]!.GetValue<string>());
        Assert.Equal("https://ratify.example/a/1?token=x", approve["url"]!.GetValue<string>());
        Assert.Equal("primary", approve["style"]!.GetValue<string>());
        Assert.Null(actions["elements"]![1]!["style"]);
    }

    [Fact]
    public async Task Chat_postMessage_is_called_with_the_bot_token_at_the_configured_API()
    {
        var result = await _host.ExecuteAsync("slack", Args.Of($$"""{"token": "{{Token}}", "channel": "C123", "text": "hi", "threadTs": "1.2"}"""), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("1700000000.000100", result.Output!["ts"]!.GetValue<string>());
        Assert.Equal("C123", result.Output["channel"]!.GetValue<string>());
        var request = _slack.Requests.Single();
        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal($"Bearer {Token}", request.Header("Authorization"));
        Assert.Equal("run1:step1", request.Header("Idempotency-Key"));
        Assert.Equal("1.2", request.Json!["thread_ts"]!.GetValue<string>());
        Assert.DoesNotContain(Token, result.Output.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_can_point_chat_postMessage_at_another_API_base()
    {
        await using var other = await LoopbackServer.StartAsync(Timeout);
        other.Map("/v2/chat.postMessage", (context, _) => context.Response.WriteAsJsonAsync(new { ok = true, channel = "C9", ts = "9.9" }));
        await using var host = ConnectorHost.Allowing(other.AllowEntry);

        var result = await host.ExecuteAsync("slack", Args.Of($$"""
            {"token": "{{Token}}", "channel": "C9", "text": "hi", "apiBaseUrl": "{{other.Url("/v2/")}}"}
            """), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("9.9", result.Output!["ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task Slack_ok_false_is_a_failure_retryable_only_when_rate_limited()
    {
        var missing = await _host.ExecuteAsync("slack", Args.Of($$"""{"token": "{{Token}}", "channel": "C-missing", "text": "hi"}"""), Timeout);
        var busy = await _host.ExecuteAsync("slack", Args.Of($$"""{"token": "{{Token}}", "channel": "C-busy", "text": "hi"}"""), Timeout);

        Assert.Equal("slack_error", missing.Failure!.Code);
        Assert.Contains("channel_not_found", missing.Failure.Message, StringComparison.Ordinal);
        Assert.False(missing.Failure.Retryable);
        Assert.Equal("slack_error", busy.Failure!.Code);
        Assert.True(busy.Failure.Retryable);
    }

    [Fact]
    public async Task A_429_from_Slack_is_retryable_with_its_Retry_After()
    {
        _slack.Map("/hook-busy", (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "30";
            return Task.CompletedTask;
        });

        var result = await _host.ExecuteAsync("slack", Args.Of($$"""{"webhookUrl": "{{_slack.Url("/hook-busy")}}", "text": "hi"}"""), Timeout);

        Assert.True(result.Failure!.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Failure.RetryAfter);
    }

    [Fact]
    public async Task An_incoming_webhook_error_names_Slack_s_reason_but_not_the_webhook_URL()
    {
        _slack.Map("/hook-bad", (context, _) =>
        {
            context.Response.StatusCode = 400;
            return context.Response.WriteAsync("invalid_payload");
        });
        var url = _slack.Url("/hook-bad");

        var result = await _host.ExecuteAsync("slack", Args.Of($$"""{"webhookUrl": "{{url}}", "text": "hi"}"""), Timeout);

        Assert.Equal("slack_error", result.Failure!.Code);
        Assert.False(result.Failure.Retryable);
        Assert.Contains("invalid_payload", result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(url, result.Failure.Message + result.Failure.Details?.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetSideEffect_Always_Irreversible() =>
        Assert.Equal(SideEffect.Irreversible, _host.Connector("slack").GetSideEffect(Args.Of("""{"text": "x"}""")));

    [Theory]
    [InlineData("""{"text": "x"}""", "/webhookUrl")]
    [InlineData("""{"webhookUrl": "https://h/x", "token": "t", "text": "x"}""", "/webhookUrl")]
    [InlineData("""{"token": "t", "text": "x"}""", "/channel")]
    [InlineData("""{"webhookUrl": "https://h/x"}""", "/text")]
    [InlineData("""{"webhookUrl": "https://h/x", "blocks": [{"text": "no type"}]}""", "/blocks/0/type")]
    [InlineData("""{"webhookUrl": "https://h/x", "buttons": [{"text": "Go", "url": "javascript:alert(1)"}]}""", "/buttons/0/url")]
    [InlineData("""{"webhookUrl": "https://h/x", "buttons": [{"text": "Go", "url": "https://x", "style": "loud"}]}""", "/buttons/0/style")]
    [InlineData("""{"webhookUrl": "https://h/x", "channel": "C1", "text": "x"}""", "/channel")]
    public void ValidateArguments_BadCombination_ReportsPointer(string arguments, string pointer) =>
        Assert.Contains(pointer, _host.Connector("slack").ValidateArguments(Args.Of(arguments)).Select(e => e.Pointer));

    [Fact]
    public void ValidateArguments_TemplatedWebhookAndBlocks_Accepted() =>
        Assert.Empty(_host.Connector("slack").ValidateArguments(Args.Of("""
            {"webhookUrl": "{{secrets.SLACK_HOOK}}", "blocks": "{{steps.render.output.blocks}}", "buttons": [{"text": "Open", "url": "{{input.link}}"}]}
            """)));
}
