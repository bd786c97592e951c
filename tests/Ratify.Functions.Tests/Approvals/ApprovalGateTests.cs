using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalGateTests(AzuriteFixture azurite) : ApprovalTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task An_agent_approves_a_gate_and_the_run_continues_with_the_note()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"message": "Send {{input.dealId}}?", "showArtifacts": ["draft/doc"]}"""));
        var (agent, keyId) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var pending = await GetJsonAsync(agent, $"/v1/approvals?status=pending&runId={runId}");
        var listed = Assert.Single(pending["approvals"]!.AsArray())!;
        Assert.Equal(approvalId, listed["approvalId"]!.GetValue<string>());
        Assert.Equal("Send d_1?", listed["message"]!.GetValue<string>());
        var shown = Assert.Single(listed["artifacts"]!.AsArray())!;
        Assert.Equal("doc", shown["name"]!.GetValue<string>());
        Assert.Equal(64, shown["sha256"]!.GetValue<string>().Length);

        using var response = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved", "ship it");
        var answer = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Workflow resuming.", answer["message"]!.GetValue<string>());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("ship it", Step(run, "after")["output"]!["note"]!.GetValue<string>());
        var gate = Step(run, "gate");
        Assert.Equal("approved", gate["output"]!["decision"]!.GetValue<string>());
        Assert.Equal($"key:{keyId}", gate["output"]!["decidedBy"]!.GetValue<string>());
        Assert.Equal("approved", gate["approval"]!["status"]!.GetValue<string>());

        // The receipt: who, how, the note, the definition version and the hash of what was shown.
        var receipt = await GetJsonAsync(agent, $"/v1/approvals/{approvalId}");
        Assert.Equal(1, receipt["version"]!.GetValue<int>());
        Assert.Equal($"key:{keyId}", receipt["decision"]!["channel"]!.GetValue<string>());
        Assert.Equal("ship it", receipt["decision"]!["note"]!.GetValue<string>());
        Assert.Equal(shown["sha256"]!.GetValue<string>(), receipt["artifacts"]![0]!["sha256"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_notify_entry_is_checked_by_the_real_connector_when_the_workflow_is_defined()
    {
        using var admin = Admin();
        using var response = await PostJsonAsync(admin, "/v1/workflows", GateWorkflow("gated", "{}",
            """, "notify": [{"connector": "email", "with": {"host": "smtp.example.com", "tls": "sometimes"}}]"""));

        var pointers = await ProblemPointersAsync(response, HttpStatusCode.UnprocessableEntity, Timeout);
        Assert.Contains("/steps/1/notify/0/with/from", pointers);
        Assert.Contains("/steps/1/notify/0/with/tls", pointers);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_rejection_fails_the_run_with_approval_rejected()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        using var response = await agent.PostAsJsonAsync($"/v1/runs/{runId}/approvals/{approvalId}/reject", new { comment = "numbers are off" }, Timeout);
        await JsonAsync(response, HttpStatusCode.OK);

        var run = await WaitForStatusAsync(admin, runId, "failed");
        Assert.Equal("approval_rejected", run["error"]!["code"]!.GetValue<string>());
        Assert.Equal("approval_rejected", Step(run, "gate")["error"]!["code"]!.GetValue<string>());
        Assert.Equal("numbers are off", Step(run, "gate")["output"]!["note"]!.GetValue<string>());
        Assert.Equal("cancelled", Status(Step(run, "after")));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_rejected_gate_that_continues_on_failure_lets_later_steps_branch_on_the_decision()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}", """, "onFailure": "continue" """));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        using var response = await agent.PostAsJsonAsync($"/v1/runs/{runId}/approvals/{approvalId}/reject", new { comment = "no" }, Timeout);
        await JsonAsync(response, HttpStatusCode.OK);

        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("failed", Status(Step(run, "gate")));
        Assert.Equal("rejected", Step(run, "after")["output"]!["decision"]!.GetValue<string>());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("reject", "failed")]
    [InlineData("approve", "completed")]
    public async Task A_gate_without_a_decision_applies_its_timeout_policy(string onTimeout, string runStatus)
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", $$"""{"timeout": "PT1S", "onTimeout": "{{onTimeout}}"}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var run = await WaitForStatusAsync(admin, runId, runStatus);
        var output = Step(run, "gate")["output"]!;
        Assert.Equal("policy", output["decidedBy"]!.GetValue<string>());
        Assert.Equal("policy:timeout", output["channel"]!.GetValue<string>());
        Assert.Equal(onTimeout == "approve" ? "approved" : "rejected", (await StoredAsync(approvalId)).Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_quorum_of_two_waits_for_the_second_approver_and_counts_each_once()
    {
        var (first, firstId) = await AgentAsync();
        var (second, secondId) = await AgentAsync();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", $$"""{"approvers": ["key:{{firstId}}", "key:{{secondId}}", "carol@example.com"], "quorum": 2}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var path = $"/v1/approvals/{approvalId}/resolve";

        using (var vote = await ResolveAsync(first, path, "approved"))
        {
            var answer = await JsonAsync(vote, HttpStatusCode.OK);
            Assert.Equal("pending", answer["status"]!.GetValue<string>());
            Assert.Equal(1, answer["votes"]!.GetValue<int>());
        }

        using (var again = await ResolveAsync(first, path, "approved"))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        Assert.Equal("waiting_approval", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));
        using (var vote = await ResolveAsync(second, path, "approved"))
        {
            Assert.Equal("Workflow resuming.", (await JsonAsync(vote, HttpStatusCode.OK))["message"]!.GetValue<string>());
        }

        await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal(2, (await StoredAsync(approvalId)).Votes.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_auto_approve_condition_that_holds_passes_the_gate_at_once_recorded_as_policy()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"autoApprove": "input.amount < 1000"}"""));
        var runId = await StartRunAsync(admin, "gated", new JsonObject { ["dealId"] = "d_1", ["amount"] = 10 });

        var run = await WaitForStatusAsync(admin, runId, "completed");
        var output = Step(run, "gate")["output"]!;
        Assert.Equal("policy:autoApprove", output["channel"]!.GetValue<string>());
        Assert.Equal("approved", Step(run, "gate")["approval"]!["status"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task Whoever_started_the_run_cannot_approve_it_unless_the_gate_allows_it()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (starter, _) = await AgentAsync();
        var (other, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(starter, "gated");

        using (var refused = await ResolveAsync(starter, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            var problem = await JsonAsync(refused, HttpStatusCode.Forbidden);
            Assert.Contains("self-approval", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var accepted = await ResolveAsync(other, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(accepted, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "completed");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_decision_made_while_the_run_is_paused_takes_effect_on_resume()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        using (var pause = await admin.PostAsync($"/v1/runs/{runId}/pause", null, Timeout))
        {
            Assert.Equal("paused", Status(await JsonAsync(pause, HttpStatusCode.OK)));
        }

        using (var resolve = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(resolve, HttpStatusCode.OK);
        }

        Assert.Equal("paused", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));
        using (var resume = await admin.PostAsync($"/v1/runs/{runId}/resume", null, Timeout))
        {
            Assert.True(resume.IsSuccessStatusCode);
        }

        await WaitForStatusAsync(admin, runId, "completed");
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelling_the_run_voids_its_links_and_the_gate_takes_no_decision()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"approvers": ["alice@example.com"]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var link = await LinkAsync(approvalId, "alice@example.com");
        using var person = Anonymous();
        using (var open = await person.GetAsync(link.Context, Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        using (var cancel = await admin.PostAsJsonAsync($"/v1/runs/{runId}/cancel", new { reason = "deal lost" }, Timeout))
        {
            Assert.Equal("cancelled", Status(await JsonAsync(cancel, HttpStatusCode.OK)));
        }

        Assert.Equal("cancelled", (await StoredAsync(approvalId)).Status);
        using var refused = await ResolveAsync(person, link.Resolve, "approved");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }
}
