using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

[Collection(AzuriteCollection.Name)]
public sealed class ConnectorRunTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_run_calls_http_then_ai_then_a_signed_webhook_against_real_local_servers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var remote = await StandInServer.StartAsync();
        await using var harness = new RunHarness(azurite, new Dictionary<string, string?>
        {
            ["Ratify:Outbound:AllowedHosts"] = remote.HostAndPort,
            ["Ratify:Secrets:HOOK_SECRET"] = "whsec_local_test_secret",
            ["Ratify:Secrets:LLM_KEY"] = "sk-local-llm-key",
        });
        var runId = await harness.StartAsync("""
            {"id": "deal-alert-pipeline", "name": "Deal alert pipeline", "steps": [
              {"id": "fetch", "connector": "http", "with": {"method": "GET", "url": "{{remote.BaseUrl}}/deals/{{input.dealId}}"}},
              {"id": "draft", "connector": "ai", "dependsOn": ["fetch"], "with": {
                 "baseUrl": "{{remote.BaseUrl}}/v1", "model": "local-model", "apiKey": "{{secrets.LLM_KEY}}",
                 "messages": [{"role": "user", "content": "Summarise {{steps.fetch.output.body.name}}"}]}},
              {"id": "notify", "connector": "webhook", "dependsOn": ["draft"], "with": {
                 "url": "{{remote.BaseUrl}}/hooks/done", "secret": "{{secrets.HOOK_SECRET}}",
                 "payload": {"deal": "{{input.dealId}}", "summary": "{{steps.draft.output.text}}"}}}
            ]}
            """.Replace("{{remote.BaseUrl}}", remote.BaseUrl, StringComparison.Ordinal), new JsonObject { ["dealId"] = "d_8k2x" }, timeout.Token);

        var progress = await harness.CompletionAsync(runId, timeout.Token);
        var results = harness.Services.GetRequiredService<StepResultStore>();
        var outputs = await results.GetOutputsAsync(runId, timeout.Token);
        var artifacts = await results.ListArtifactsAsync(runId, timeout.Token);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.Equal(25000, outputs["fetch"]!["body"]!["amount"]!.GetValue<int>());
        Assert.Equal("Acme is worth a call.", outputs["draft"]!["text"]!.GetValue<string>());
        Assert.Contains(artifacts, a => a is { StepId: "draft", Name: "response" });
        Assert.Contains(artifacts, a => a is { StepId: "draft", Name: "usage" });

        var chat = Assert.Single(remote.Requests, r => r.Path == "/v1/chat/completions");
        Assert.Equal("Bearer sk-local-llm-key", chat.Headers["Authorization"]);
        Assert.Contains("Summarise Acme", chat.Body, StringComparison.Ordinal);

        var hook = Assert.Single(remote.Requests, r => r.Path == "/hooks/done");
        var signature = hook.Headers["X-Ratify-Signature"];
        var t = signature.Split(',')[0]["t=".Length..];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_local_test_secret"), Encoding.UTF8.GetBytes($"{t}.{hook.Body}")));
        Assert.Equal($"t={t},v1={expected}", signature);
        Assert.Equal($"{runId}:notify", hook.Headers["Idempotency-Key"]);
        Assert.Equal("Acme is worth a call.", JsonNode.Parse(hook.Body)!["summary"]!.GetValue<string>());

        // Secrets went out to the servers that needed them and nowhere into what the run recorded.
        var recorded = string.Join("\n", outputs.Values.Select(o => o?.ToJsonString()));
        Assert.DoesNotContain("sk-local-llm-key", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_local_test_secret", recorded, StringComparison.Ordinal);
    }
}
