using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratify.Functions.Approvals;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>
/// Approval records in the run's audit chain. Redelivery is slowed to an hour, so that a decision stored without its event stays
/// undelivered until the test delivers it: the chain must not claim it before the run acts on it, and must hold it once after.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalAuditTests(AzuriteFixture azurite)
    : ApprovalTestBase(azurite, new Dictionary<string, string?> { ["Ratify:Approvals:RedeliveryInterval"] = "01:00:00" })
{
    [Fact(Timeout = 60_000)]
    public async Task A_decision_stored_before_a_host_died_is_in_the_audit_exactly_once_and_only_after_the_run_took_it()
    {
        using var admin = Admin();
        var (_, keyId) = await AgentAsync();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", $$"""{"approvers": ["key:{{keyId}}"], "showArtifacts": ["draft/doc"]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        // As if the host died between storing the decision and raising the event.
        var store = Services.GetRequiredService<ApprovalStore>();
        await store.NoteDecidingAsync("default", approvalId, Timeout);
        var stored = await store.UpdateAsync("default", approvalId, a => (a with
        {
            Status = ApprovalStatuses.Approved,
            Votes = [new ApprovalVote("approved", "key:" + keyId, "key:" + keyId, "stored only", DateTimeOffset.UtcNow)],
            Decision = new ApprovalDecision("approved", "key:" + keyId, "key:" + keyId, "stored only", DateTimeOffset.UtcNow),
            Raised = false,
        }, 0), Timeout);

        var before = await RecordsAsync(admin, runId);
        var requested = Assert.Single(before, r => Type(r) == "approval.requested")!;
        var sha = requested["data"]!["artifacts"]![0]!["sha256"]!.GetValue<string>();
        Assert.Equal(stored!.Value.Approval.Artifacts.Single().Sha256, sha);
        Assert.DoesNotContain(before, r => Type(r) == "approval.resolved");
        Assert.Equal("waiting_approval", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));

        // Two hosts' redelivery passes at once both find the note and raise the event: the run takes the decision once, and
        // the chain records it once.
        var redelivery = Services.GetServices<IHostedService>().OfType<ApprovalRedeliveryService>().Single();
        await Task.WhenAll(redelivery.RedeliverAsync(Timeout), redelivery.RedeliverAsync(Timeout));
        await WaitForStatusAsync(admin, runId, "completed");
        await WaitForListingAsync(admin, "?status=completed", 1);

        var after = await RecordsAsync(admin, runId);
        var resolved = Assert.Single(after, r => Type(r) == "approval.resolved")!;
        Assert.Equal(("key", keyId), (resolved["actor"]!["kind"]!.GetValue<string>(), resolved["actor"]!["id"]!.GetValue<string>()));
        var data = resolved["data"]!;
        Assert.Equal(("approved", "stored only", "key:" + keyId), (data["decision"]!.GetValue<string>(), data["note"]!.GetValue<string>(), data["channel"]!.GetValue<string>()));
        Assert.Equal(sha, data["artifacts"]![0]!["sha256"]!.GetValue<string>());
        Assert.Equal("run.finished", Type(after[^1]!));
        Assert.True((await VerifyAsync(admin, runId))["valid"]!.GetValue<bool>());
    }

    [Fact(Timeout = 60_000)]
    public async Task Opening_a_link_revoking_links_and_a_persons_rejection_are_recorded_with_their_actors()
    {
        using var admin = Admin();
        var (agent, keyId) = await AgentAsync();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"approvers": ["alice@example.com"]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        using var person = Anonymous();

        var (oldContext, _) = await LinkAsync(approvalId, "alice@example.com");
        using (var opened = await person.GetAsync(oldContext, Timeout))
        {
            await JsonAsync(opened, HttpStatusCode.OK);
        }

        using (var revoked = await agent.PostAsync($"/v1/approvals/{approvalId}/revoke-links", null, Timeout))
        {
            await JsonAsync(revoked, HttpStatusCode.OK);
        }

        var (_, resolve) = await LinkAsync(approvalId, "alice@example.com");
        using (var rejected = await person.PostAsJsonAsync(resolve, new { decision = "rejected", note = "numbers are wrong" }, Timeout))
        {
            await JsonAsync(rejected, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "failed");
        await WaitForListingAsync(admin, "?status=failed", 1);
        var records = await RecordsAsync(admin, runId);
        var opening = Assert.Single(records, r => Type(r) == "approval.link_opened")!;
        Assert.Equal(("approver", "alice@example.com"), Actor(opening));
        var revoking = Assert.Single(records, r => Type(r) == "approval.links_revoked")!;
        Assert.Equal(("key", keyId), Actor(revoking));
        var resolved = Assert.Single(records, r => Type(r) == "approval.resolved")!;
        Assert.Equal(("approver", "alice@example.com"), Actor(resolved));
        Assert.Equal(("rejected", "numbers are wrong"), (resolved["data"]!["decision"]!.GetValue<string>(), resolved["data"]!["note"]!.GetValue<string>()));
        Assert.StartsWith("link:tok_", resolved["data"]!["channel"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Sequence(opening) < Sequence(revoking) && Sequence(revoking) < Sequence(resolved));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_gate_that_times_out_records_its_expiry_and_the_policys_decision()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"timeout": "PT1S", "onTimeout": "approve"}"""));
        var runId = await StartRunAsync(admin, "gated", new JsonObject { ["dealId"] = "d_1" });
        await WaitForStatusAsync(admin, runId, "completed");
        await WaitForListingAsync(admin, "?status=completed", 1);

        var records = await RecordsAsync(admin, runId);
        Assert.Single(records, r => Type(r) == "approval.expired");
        var resolved = Assert.Single(records, r => Type(r) == "approval.resolved")!;
        Assert.Equal(("system", "policy:timeout"), Actor(resolved));
        Assert.True(Sequence(Assert.Single(records, r => Type(r) == "approval.expired")!) < Sequence(resolved));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_cancelled_at_its_gate_voids_the_links_and_records_it_before_the_run_finishes()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        using (var cancelled = await PostJsonAsync(admin, $"/v1/runs/{runId}/cancel", """{"reason": "not needed"}"""))
        {
            Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync(Timeout));
        }

        await WaitForListingAsync(admin, "?status=cancelled", 1);
        Assert.Equal(ApprovalStatuses.Cancelled, (await StoredAsync(approvalId)).Status);
        var records = await RecordsAsync(admin, runId);
        var voided = Assert.Single(records, r => Type(r) == "approval.links_revoked")!;
        Assert.Equal(("system", "run_ended"), (Actor(voided).Kind, voided["data"]!["reason"]!.GetValue<string>()));
        Assert.DoesNotContain(records, r => Type(r) == "approval.resolved");
        Assert.Equal("run.finished", Type(records[^1]!));
    }

    private async Task<JsonArray> RecordsAsync(HttpClient client, string runId) =>
        (await GetJsonAsync(client, $"/v1/runs/{runId}/audit?limit=200"))["records"]!.AsArray();

    private async Task<JsonObject> VerifyAsync(HttpClient client, string runId)
    {
        using var response = await PostJsonAsync(client, "/v1/audit/verify", $$"""{"runId": "{{runId}}"}""");
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    private static string Type(JsonNode? record) => record!["type"]!.GetValue<string>();

    private static long Sequence(JsonNode record) => record["sequence"]!.GetValue<long>();

    private static (string Kind, string? Id) Actor(JsonNode record) =>
        (record["actor"]!["kind"]!.GetValue<string>(), record["actor"]!["id"]?.GetValue<string>());
}
