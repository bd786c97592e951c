using System.Net;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>The Runs table, which listings read, follows a run into waiting for its gate and back out of it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalRunStatusTests(AzuriteFixture azurite) : ApprovalTestBase(azurite, timeout: TimeSpan.FromSeconds(90))
{
    [Fact(Timeout = 120_000)]
    public async Task A_run_at_its_gate_is_listed_as_waiting_approval_and_as_running_again_once_resumed()
    {
        using var admin = Admin();
        var (agent, _) = await AgentAsync();
        await CreateWorkflowAsync(admin, """
            {"id": "gated", "name": "Gate then wait", "steps": [
              {"id": "draft", "type": "transform", "with": {"n": 1}},
              {"id": "gate", "type": "approval", "dependsOn": ["draft"], "with": {}},
              {"id": "wait", "type": "delay", "dependsOn": ["gate"], "with": {"duration": "PT1H"}}
            ]}
            """);
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var waiting = await WaitForListingAsync(admin, "?status=waiting_approval", 1);
        Assert.Equal(runId, waiting["runs"]![0]!["runId"]!.GetValue<string>());
        Assert.Empty((await GetJsonAsync(admin, "/v1/runs?status=running"))["runs"]!.AsArray());

        using (var response = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(response, HttpStatusCode.OK);
        }

        var running = await WaitForListingAsync(admin, "?status=running", 1);
        Assert.Equal(runId, running["runs"]![0]!["runId"]!.GetValue<string>());
        Assert.Empty((await GetJsonAsync(admin, "/v1/runs?status=waiting_approval"))["runs"]!.AsArray());
    }
}
