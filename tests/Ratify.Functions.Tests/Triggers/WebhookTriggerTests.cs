using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ratify.Connectors.Webhook;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Triggers;

[Collection(AzuriteCollection.Name)]
public sealed class WebhookTriggerTests(AzuriteFixture azurite) : TriggerTestBase(azurite, new Dictionary<string, string?>
{
    ["Ratify:Secrets:HOOK_SECRET"] = Secret,
    ["Ratify:RateLimits:HookRequestsPerMinute"] = "30",
    ["Ratify:RateLimits:KeyRequestsPerSecond"] = "1",
    ["Ratify:RateLimits:KeyBurst"] = "8",
})
{
    private const string Secret = "whsec-test-7f3a";

    private const string Hooked = """
        {"id": "hooked", "name": "Hooked",
         "inputSchema": {"type": "object", "required": ["dealId"], "properties": {"dealId": {"type": "string"}}},
         "triggers": [{"type": "webhook", "secret": "{{secrets.HOOK_SECRET}}", "input": {"dealId": "{{ body.deal.id }}", "source": "hook"}}],
         "steps": [{"id": "echo", "type": "transform", "with": {"deal": "{{input.dealId}}"}}]}
        """;

    [Fact]
    public async Task A_signed_delivery_starts_one_run_with_the_mapped_body_and_a_replay_starts_none()
    {
        using var admin = Admin();
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Hooked, HttpStatusCode.Created);
        using var hook = Anonymous();
        var body = """{"deal": {"id": "D-42"}}""";
        var signature = Sign(body, DateTimeOffset.UtcNow);

        var first = await DeliverAsync(hook, "/v1/hooks/hooked", body, signature, HttpStatusCode.Accepted);
        var again = await DeliverAsync(hook, "/v1/hooks/default/hooked", body, signature, HttpStatusCode.Accepted);

        var runId = first["runId"]!.GetValue<string>();
        Assert.Equal(runId, again["runId"]!.GetValue<string>());
        var run = await SendJsonAsync(admin, HttpMethod.Get, $"/v1/runs/{runId}", null, HttpStatusCode.OK);
        Assert.Equal("D-42", run["input"]!["dealId"]!.GetValue<string>());
        Assert.Equal("hook:hooked", run["createdBy"]!.GetValue<string>());
        Assert.Single(await RunsAsync(admin, "hooked"));

        // The same body signed again is a new delivery.
        var later = await DeliverAsync(hook, "/v1/hooks/hooked", body, Sign(body, DateTimeOffset.UtcNow.AddSeconds(-30)), HttpStatusCode.Accepted);
        Assert.NotEqual(runId, later["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_bad_signature_is_a_401_that_says_why()
    {
        using var admin = Admin();
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Hooked, HttpStatusCode.Created);
        using var hook = Anonymous();
        var body = """{"deal": {"id": "D-1"}}""";
        var now = DateTimeOffset.UtcNow;
        var good = Sign(body, now);

        await ExpectUnauthorizedAsync(hook, body, null, "missing");
        await ExpectUnauthorizedAsync(hook, body, "t=abc,v1=00", "malformed");
        await ExpectUnauthorizedAsync(hook, body, good.Split(',')[0], "malformed");
        await ExpectUnauthorizedAsync(hook, body, WebhookSignature.Create("another-secret", now.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)), "does not match");
        await ExpectUnauthorizedAsync(hook, body.Replace("D-1", "D-2", StringComparison.Ordinal), good, "does not match");
        await ExpectUnauthorizedAsync(hook, body + " ", good, "does not match");
        await ExpectUnauthorizedAsync(hook, body, Sign(body, now.AddMinutes(-5).AddSeconds(-2)), "five minutes");
        await ExpectUnauthorizedAsync(hook, body, Sign(body, now.AddMinutes(5).AddSeconds(2)), "five minutes");
        Assert.Empty(await RunsAsync(admin, "hooked"));

        // Inside the window either way is accepted.
        await DeliverAsync(hook, "/v1/hooks/hooked", body, Sign(body, now.AddMinutes(-4)), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Unknown_hooks_are_404_and_a_body_that_breaks_the_schema_is_422()
    {
        using var admin = Admin();
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Hooked, HttpStatusCode.Created);
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows",
            """{"id": "plain", "name": "Plain", "steps": [{"id": "a", "type": "transform"}]}""", HttpStatusCode.Created);
        using var hook = Anonymous();
        var body = """{"deal": {}}""";

        await DeliverAsync(hook, "/v1/hooks/plain", body, Sign(body, DateTimeOffset.UtcNow), HttpStatusCode.NotFound);
        await DeliverAsync(hook, "/v1/hooks/missing", body, Sign(body, DateTimeOffset.UtcNow), HttpStatusCode.NotFound);
        await DeliverAsync(hook, "/v1/hooks/other-tenant/hooked", body, Sign(body, DateTimeOffset.UtcNow), HttpStatusCode.NotFound);

        var problem = await DeliverAsync(hook, "/v1/hooks/hooked", body, Sign(body, DateTimeOffset.UtcNow), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("/dealId", problem["errors"]![0]!["pointer"]!.GetValue<string>());

        // A literal secret in the definition is refused: only a reference to a configured secret.
        var refused = await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows",
            """{"id": "leaky", "name": "L", "triggers": [{"type": "webhook", "secret": "plain-text"}], "steps": [{"id": "a", "type": "transform"}]}""",
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("/triggers/0/secret", refused["errors"]![0]!["pointer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Too_many_deliveries_to_one_hook_or_requests_with_one_key_are_429_with_retry_after()
    {
        using var admin = Admin();
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Hooked, HttpStatusCode.Created);
        using var hook = Anonymous();
        var body = """{"deal": {"id": "D-9"}}""";
        var signature = Sign(body, DateTimeOffset.UtcNow);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 31 && limited is null; i++)
        {
            var response = await PostAsync(hook, "/v1/hooks/hooked", body, signature);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        limited.Dispose();

        // The key's bucket (8, refilled at 1/s) runs out within a burst of reads.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await admin.GetAsync("/v1/schedules", Timeout);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    private async Task ExpectUnauthorizedAsync(HttpClient hook, string body, string? signature, string reason)
    {
        var problem = await DeliverAsync(hook, "/v1/hooks/hooked", body, signature, HttpStatusCode.Unauthorized);
        Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> DeliverAsync(HttpClient hook, string path, string body, string? signature, HttpStatusCode expected)
    {
        using var response = await PostAsync(hook, path, body, signature);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient hook, string path, string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return hook.SendAsync(request, Timeout);
    }

    private static string Sign(string body, DateTimeOffset at) => WebhookSignature.Create(Secret, at.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));
}
