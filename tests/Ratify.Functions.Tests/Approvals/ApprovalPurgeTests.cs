using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>A purged run takes its approvals, their link openings and its idempotency keys with it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalPurgeTests(AzuriteFixture azurite) : ApprovalTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task Purging_a_run_deletes_its_approvals_their_openings_and_its_idempotency_keys()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"message": "Send?"}"""));
        var (agent, _) = await AgentAsync();
        using (agent)
        {
            var runId = await StartWithKeyAsync(admin, "purge-me");
            var run = await WaitForStatusAsync(admin, runId, "waiting_approval");
            var approvalId = Step(run, "gate")["approval"]!["approvalId"]!.GetValue<string>();
            var store = Services.GetRequiredService<ApprovalStore>();
            await store.RecordOpeningAsync(approvalId, new ApprovalOpening("person:a@example.com", "tok_1", DateTimeOffset.UtcNow), Timeout);
            using (var resolved = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
            {
                Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
            }

            await WaitForStatusAsync(admin, runId, "completed");
            await WaitForListingAsync(admin, "?status=completed", 1);

            using var purge = await PostJsonAsync(admin, "/v1/admin/purge",
                $$"""{"finishedBefore": "{{DateTimeOffset.UtcNow.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}}", "runIds": ["{{runId}}"]}""");
            var text = await purge.Content.ReadAsStringAsync(Timeout);
            Assert.True(purge.StatusCode == HttpStatusCode.OK, text);
            var deleted = JsonNode.Parse(text)!["purged"]![0]!["deleted"]!;
            Assert.Equal((1, 1), (deleted["approvals"]!.GetValue<int>(), deleted["idempotencyKeys"]!.GetValue<int>()));

            using (var gone = await agent.GetAsync($"/v1/approvals/{approvalId}", Timeout))
            {
                Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            }

            Assert.Empty((await GetJsonAsync(agent, $"/v1/approvals?runId={runId}"))["approvals"]!.AsArray());
            Assert.Empty(await store.ListOpeningsAsync(approvalId, Timeout));

            // The key is free again: the same request starts a new run instead of answering with the purged one.
            Assert.NotEqual(runId, await StartWithKeyAsync(admin, "purge-me"));

            // Deleting again (a purge finished after a crash) finds nothing and does not fail.
            await store.DeleteForRunAsync("default", runId, Timeout);
            await Services.GetRequiredService<IdempotencyStore>().DeleteForRunAsync("default", runId, Timeout);
        }
    }

    private async Task<string> StartWithKeyAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs")
        {
            Content = JsonContent.Create(new { workflowId = "gated", input = new { dealId = "d_1" } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["runId"]!.GetValue<string>();
    }
}
