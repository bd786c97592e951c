using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

/// <summary>
/// A start that an outage (or a dead host) cut short leaves its Idempotency-Key claim, and perhaps its run row without an
/// orchestration; a retry with the key finishes that start under the reserved run id, so that the key gives one whole run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InterruptedStartTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    private const string Body = """{"workflowId": "pair", "input": {"dealId": "d1", "amount": 2}}""";

    [Fact(Timeout = 60_000)]
    public async Task A_claim_whose_run_was_never_written_is_finished_by_the_retry_under_its_reserved_id()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var reserved = await ClaimAsync("cut-short", DateTimeOffset.UtcNow.AddMinutes(-1));

        var runId = await RetryAsync(admin, "cut-short");

        Assert.Equal(reserved, runId);
        await WaitForStatusAsync(admin, runId, "completed");
        Assert.Single((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_row_left_without_an_orchestration_is_scheduled_by_the_retry()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var createdAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        var reserved = await ClaimAsync("row-only", createdAt);
        var input = JsonNode.Parse(Body)!["input"]!.DeepClone();
        await Services.GetRequiredService<RunStore>().CreateAsync(
            new RunRecord(reserved, Tenants.Default, "pair", 1, RunStatuses.Running, input, createdAt, null, null, null, ApiKey.BootstrapId), Timeout);

        var runId = await RetryAsync(admin, "row-only");

        Assert.Equal(reserved, runId);
        await WaitForStatusAsync(admin, runId, "completed");
        Assert.Single((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
    }

    private async Task<string> ClaimAsync(string key, DateTimeOffset createdAt)
    {
        var body = JsonNode.Parse(Body)!;
        var hash = CanonicalJson.Hash(new JsonObject
        {
            ["workflowId"] = "pair",
            ["version"] = null,
            ["input"] = body["input"]!.DeepClone(),
        });
        var runId = RunIds.New(createdAt);
        Assert.True(await Services.GetRequiredService<IdempotencyStore>().TryAddAsync(Tenants.Default, key, hash, runId, createdAt, Timeout));
        return runId;
    }

    private async Task<string> RetryAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        return JsonNode.Parse(text)!["runId"]!.GetValue<string>();
    }
}
