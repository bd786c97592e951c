using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Ai;

/// <summary>The ai connector against a loopback stand-in for an OpenAI-compatible server.</summary>
public sealed class AiConnectorTests : TimedTest, IAsyncLifetime
{
    private const string ApiKey = "sk-test-1234567890";

    private LoopbackServer _server = null!;
    private ConnectorHost _host = null!;
    private Func<RecordedRequest, object> _answer = _ => Completion("Hello there.");

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(Timeout);
        _server.Map("/v1/chat/completions", (context, request) => context.Response.WriteAsJsonAsync(_answer(request)));
        _host = ConnectorHost.Allowing(
            _server.AllowEntry,
            ("Ratify:Ai:Prices:small-model:InputCentsPer1KTokens", "0.5"),
            ("Ratify:Ai:Prices:small-model:OutputCentsPer1KTokens", "1.5"));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_chat_completion_returns_text_usage_and_both_artifacts()
    {
        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1")}}", "model": "small-model", "apiKey": "{{ApiKey}}", "temperature": 0.2, "maxTokens": 50,
             "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}
            """);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("Hello there.", result.Output!["text"]!.GetValue<string>());
        Assert.Equal(
            """{"promptTokens":1000,"completionTokens":2000,"totalTokens":3000}""",
            result.Output["usage"]!.ToJsonString());

        var request = _server.Requests.Single();
        Assert.Equal($"Bearer {ApiKey}", request.Header("Authorization"));
        Assert.Equal("small-model", request.Json!["model"]!.GetValue<string>());
        Assert.Equal(0.2, request.Json["temperature"]!.GetValue<double>());
        Assert.Equal(50, request.Json["max_tokens"]!.GetValue<int>());
        Assert.Equal("Hi", request.Json["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Null(request.Json["response_format"]);

        var response = result.Artifacts.Single(a => a.Name == "response");
        Assert.Equal(("text", "Hello there."), (response.Type, Encoding.UTF8.GetString(response.Content.Span)));
        var usage = JsonNode.Parse(result.Artifacts.Single(a => a.Name == "usage").Content.Span)!;
        // 1000 prompt tokens at 0.5 ¢/1K plus 2000 completion tokens at 1.5 ¢/1K.
        Assert.Equal(3.5m, usage["costCents"]!.GetValue<decimal>());
        Assert.Equal("small-model", usage["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_a_response_schema_the_answer_is_requested_as_JSON_and_becomes_the_output()
    {
        _answer = _ => Completion("""{"score": 0.93, "label": "hot"}""");

        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1/")}}", "model": "small-model", "messages": [{"role": "user", "content": "Score deal 7"}],
             "responseSchema": {"title": "Deal score", "type": "object", "required": ["score", "label"],
                                "properties": {"score": {"type": "number"}, "label": {"type": "string"} } } }
            """);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(0.93, result.Output!["score"]!.GetValue<double>());
        var format = _server.Requests.Single().Json!["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("Deal_score", format["json_schema"]!["name"]!.GetValue<string>());
        Assert.Equal("object", format["json_schema"]!["schema"]!["type"]!.GetValue<string>());
        Assert.Null(_server.Requests.Single().Header("Authorization"));
        Assert.Equal("json", result.Artifacts.Single(a => a.Name == "response").Type);
    }

    [Fact]
    public async Task An_answer_wrapped_in_a_code_fence_is_still_parsed()
    {
        _answer = _ => Completion("```json\n{\"ok\": true}\n```");

        var result = await CallAsync(SchemaCall("""{"type": "object", "required": ["ok"]}"""));

        Assert.True(result.Output!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_answer_that_breaks_the_schema_is_a_retryable_failure_that_records_the_spend()
    {
        _answer = _ => Completion("""{"score": "high"}""");

        var result = await CallAsync(SchemaCall("""{"type": "object", "required": ["score", "label"], "properties": {"score": {"type": "number"}}}"""));

        Assert.Equal("invalid_response", result.Failure!.Code);
        Assert.True(result.Failure.Retryable);
        Assert.Equal(2, result.Failure.Details!["errors"]!.AsArray().Count);
        Assert.Equal(3.5m, result.Failure.Details["usage"]!["costCents"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_call_estimated_over_its_budget_is_refused_before_reaching_the_server()
    {
        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1")}}", "model": "small-model", "maxTokens": 1000, "budgetCents": 1,
             "messages": [{"role": "user", "content": "Hi"}]}
            """);

        Assert.Equal("budget_exceeded", result.Failure!.Code);
        Assert.False(result.Failure.Retryable);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Without_maxTokens_a_budget_caps_the_completion_to_what_it_pays_for()
    {
        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1")}}", "model": "small-model", "budgetCents": 3,
             "messages": [{"role": "user", "content": "{{new string('x', 400)}}"}]}
            """);

        // 100 prompt tokens cost 0.05 ¢; the remaining 2.95 ¢ pay for 1966 completion tokens at 1.5 ¢/1K.
        Assert.Equal(1966, _server.Requests.Single().Json!["max_tokens"]!.GetValue<int>());
        var usage = JsonNode.Parse(result.Artifacts.Single(a => a.Name == "usage").Content.Span)!;
        Assert.Equal(3m, usage["budgetCents"]!.GetValue<decimal>());
        Assert.Equal(3.5m, usage["costCents"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_budget_for_a_model_without_a_price_is_refused()
    {
        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1")}}", "model": "unpriced", "budgetCents": 5, "messages": [{"role": "user", "content": "Hi"}]}
            """);

        Assert.Equal("budget_unpriced", result.Failure!.Code);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_server_error_that_echoes_the_API_key_is_reported_without_it()
    {
        _server.Map("/v1/chat/completions", (context, _) =>
        {
            context.Response.StatusCode = 401;
            return context.Response.WriteAsJsonAsync(new { error = new { message = $"Incorrect API key provided: {ApiKey}" } });
        });

        var result = await CallAsync($$"""
            {"baseUrl": "{{_server.Url("/v1")}}", "model": "m", "apiKey": "{{ApiKey}}", "messages": [{"role": "user", "content": "Hi"}]}
            """);

        Assert.False(result.Failure!.Retryable);
        Assert.Contains("Incorrect API key provided: ***", result.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, result.Failure.Message + result.Failure.Details!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_call_is_retryable_with_Retry_After()
    {
        _server.Map("/v1/chat/completions", (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "12";
            return Task.CompletedTask;
        });

        var result = await CallAsync($$"""{"baseUrl": "{{_server.Url("/v1")}}", "model": "m", "messages": [{"role": "user", "content": "Hi"}]}""");

        Assert.True(result.Failure!.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(12), result.Failure.RetryAfter);
    }

    [Fact]
    public async Task A_server_without_usage_gets_an_estimate_marked_as_such()
    {
        _answer = _ => new { choices = new[] { new { message = new { role = "assistant", content = "12345678" } } } };

        var result = await CallAsync($$"""{"baseUrl": "{{_server.Url("/v1")}}", "model": "m", "messages": [{"role": "user", "content": "abcd"}]}""");

        Assert.Equal("""{"promptTokens":1,"completionTokens":2,"totalTokens":3,"estimated":true}""", result.Output!["usage"]!.ToJsonString());
    }

    private static object Completion(string content) => new
    {
        id = "cmpl-1",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 1000, completion_tokens = 2000, total_tokens = 3000 },
    };

    private string SchemaCall(string schema) => $$"""
        {"baseUrl": "{{_server.Url("/v1")}}", "model": "small-model", "messages": [{"role": "user", "content": "Go"}], "responseSchema": {{schema}} }
        """;

    private Task<ConnectorResult> CallAsync(string arguments) => _host.ExecuteAsync("ai", Args.Of(arguments), Timeout);
}
