using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalReplayTests(AzuriteFixture azurite) : ApprovalTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task A_replay_reuses_an_approval_only_while_the_artifacts_it_was_based_on_are_byte_identical()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"showArtifacts": ["draft/doc"]}"""));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        using (var resolve = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(resolve, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "completed");

        var plan = await DryRunAsync(admin, runId);
        Assert.Equal("reuse", Gate(plan)["action"]!.GetValue<string>());
        Assert.Contains($"reuses approval {approvalId}", Gate(plan)["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // A replay from the next step keeps the decision and does not stop at the gate.
        using (var replay = await admin.PostAsJsonAsync($"/v1/runs/{runId}/replay", new { fromStep = "after" }, Timeout))
        {
            var started = await JsonAsync(replay, HttpStatusCode.Created);
            await WaitForStatusAsync(admin, started["runId"]!.GetValue<string>(), "completed");
        }

        // The artifact changes under the recorded decision: the gate asks again.
        await Services.GetRequiredService<StepResultStore>().SaveArtifactAsync(runId, "draft", "doc", "markdown", Encoding.UTF8.GetBytes("# Another deal"), order: DateTimeOffset.UtcNow.UtcTicks, cancellationToken: Timeout);
        plan = await DryRunAsync(admin, runId);
        Assert.Equal("run", Gate(plan)["action"]!.GetValue<string>());
        Assert.Contains("draft/doc changed", Gate(plan)["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> DryRunAsync(HttpClient client, string runId)
    {
        using var response = await client.PostAsJsonAsync($"/v1/runs/{runId}/replay", new { fromStep = "after", dryRun = true }, Timeout);
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    private static JsonNode Gate(JsonObject plan) => plan["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "gate")!;
}
