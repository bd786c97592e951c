using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Approvals;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalLinkTests(AzuriteFixture azurite) : ApprovalTestBase(azurite)
{
    private const string People = """{"approvers": ["alice@example.com", "bob@example.com"], "showArtifacts": ["draft/doc"]}""";

    [Fact(Timeout = 60_000)]
    public async Task A_person_reads_the_context_through_a_link_and_the_opening_is_recorded_without_changing_anything()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", People));
        var (_, approvalId) = await StartAtGateAsync(admin, "gated");
        var link = await LinkAsync(approvalId, "alice@example.com");
        using var person = Anonymous();

        using var response = await person.GetAsync(link.Context, Timeout);
        var context = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(approvalId, context["approvalId"]!.GetValue<string>());
        Assert.Equal("pending", context["status"]!.GetValue<string>());
        Assert.Equal("# Deal d_1", context["artifacts"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("d_1", context["runContext"]!["input"]!["dealId"]!.GetValue<string>());
        Assert.NotNull(context["expiresAt"]);

        var stored = await StoredAsync(approvalId);
        Assert.Equal("pending", stored.Status);
        Assert.Empty(stored.Votes);
        var opening = Assert.Single(await Services.GetRequiredService<ApprovalStore>().ListOpeningsAsync(approvalId, Timeout));
        Assert.Equal("alice@example.com", opening.Approver);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_link_resolves_once_and_a_second_resolve_is_a_conflict_that_keeps_the_first_decision()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", People));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var alice = await LinkAsync(approvalId, "alice@example.com");
        var bob = await LinkAsync(approvalId, "bob@example.com");
        using var person = Anonymous();

        using (var first = await ResolveAsync(person, alice.Resolve, "approved", "fine by me"))
        {
            Assert.Equal("Workflow resuming.", (await JsonAsync(first, HttpStatusCode.OK))["message"]!.GetValue<string>());
        }

        using (var again = await ResolveAsync(person, alice.Resolve, "rejected"))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var other = await ResolveAsync(person, bob.Resolve, "rejected"))
        {
            Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        }

        var run = await WaitForStatusAsync(admin, runId, "completed");
        var decision = (await StoredAsync(approvalId)).Decision!;
        Assert.Equal(("approved", "alice@example.com", "fine by me"), (decision.Decision, decision.DecidedBy, decision.Note));
        Assert.StartsWith("link:tok_", decision.Channel, StringComparison.Ordinal);
        Assert.Equal("alice@example.com", Step(run, "gate")["output"]!["decidedBy"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task Of_twenty_concurrent_resolves_exactly_one_wins()
    {
        var approvers = Enumerable.Range(1, 20).Select(i => $"p{i}@example.com").ToList();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", $$"""{"approvers": [{{string.Join(", ", approvers.Select(a => $"\"{a}\""))}}]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var links = new List<string>();
        foreach (var approver in approvers)
        {
            links.Add((await LinkAsync(approvalId, approver)).Resolve);
        }

        using var person = Anonymous();
        var responses = await Task.WhenAll(links.Select((link, i) => ResolveAsync(person, link, i % 2 == 0 ? "approved" : "rejected", $"vote {i}")));
        try
        {
            var winners = responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.OK).ToList();
            var winner = Assert.Single(winners);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
            var stored = await StoredAsync(approvalId);
            Assert.Equal($"vote {winner.i}", stored.Decision!.Note);
            Assert.Single(stored.Votes);
            await WaitForStatusAsync(admin, runId, winner.i % 2 == 0 ? "completed" : "failed");
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Expired_tampered_revoked_cross_approval_and_cross_tenant_links_are_all_refused_alike()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", People));
        var (_, approvalId) = await StartAtGateAsync(admin, "gated");
        var (_, otherApprovalId) = await StartAtGateAsync(admin, "gated");
        var signer = Services.GetRequiredService<ApprovalLinkSigner>();
        var stored = await StoredAsync(approvalId);
        var good = signer.Issue("default", approvalId, "alice@example.com", 0, DateTimeOffset.UtcNow.AddHours(1));

        var expired = signer.Issue("default", approvalId, "alice@example.com", 0, DateTimeOffset.UtcNow.AddSeconds(-1));
        var tampered = good[..^2] + (good[^2] == 'A' ? "B" : "A") + good[^1];
        var forged = new ApprovalLinkSigner(Microsoft.Extensions.Options.Options.Create(new ApprovalOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApprovalLinkSigner>.Instance).Issue("default", approvalId, "alice@example.com", 0, DateTimeOffset.UtcNow.AddHours(1));
        var otherApproval = signer.Issue("default", otherApprovalId, "alice@example.com", 0, DateTimeOffset.UtcNow.AddHours(1));
        var otherTenant = signer.Issue("acme", approvalId, "alice@example.com", 0, DateTimeOffset.UtcNow.AddHours(1));
        var notApprover = signer.Issue("default", approvalId, "mallory@example.com", 0, DateTimeOffset.UtcNow.AddHours(1));
        using var person = Anonymous();

        var bodies = new List<string>();
        foreach (var token in new[] { expired, tampered, forged, otherApproval, otherTenant, notApprover, "", "x.y.z" })
        {
            foreach (var (path, post) in new[] { ("context", false), ("resolve", true) })
            {
                var url = $"/v1/approvals/{approvalId}/{path}?token={Uri.EscapeDataString(token)}";
                using var response = post ? await ResolveAsync(person, url, "approved") : await person.GetAsync(url, Timeout);
                var problem = await JsonAsync(response, HttpStatusCode.NotFound);
                Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
                bodies.Add(problem["detail"]!.GetValue<string>());
            }
        }

        Assert.Single(bodies.Distinct());

        // A good link works until its links are revoked, and is refused like the others after.
        var valid = $"/v1/approvals/{approvalId}/context?token={Uri.EscapeDataString(good)}";
        using (var ok = await person.GetAsync(valid, Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var revoke = await admin.PostAsync($"/v1/approvals/{approvalId}/revoke-links", null, Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var revoked = await person.GetAsync(valid, Timeout);
        Assert.Equal(bodies[0], (await JsonAsync(revoked, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
        Assert.Equal("pending", (await StoredAsync(approvalId)).Status);
        Assert.Equal(stored.LinkGeneration + 1, (await StoredAsync(approvalId)).LinkGeneration);
    }

    [Fact(Timeout = 60_000)]
    public async Task Another_tenants_approval_is_not_found_with_a_key()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (_, approvalId) = await StartAtGateAsync(admin, "gated");
        var (stranger, _) = await AgentAsync("acme");

        using var read = await stranger.GetAsync($"/v1/approvals/{approvalId}", Timeout);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        using var resolve = await ResolveAsync(stranger, $"/v1/approvals/{approvalId}/resolve", "approved");
        Assert.Equal(HttpStatusCode.NotFound, resolve.StatusCode);
        Assert.Empty((await GetJsonAsync(stranger, "/v1/approvals?status=pending"))["approvals"]!.AsArray());
        Assert.Equal("pending", (await StoredAsync(approvalId)).Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_decision_stored_without_its_event_still_resumes_the_run()
    {
        // As if the host died between storing the decision and raising the event: the store has it, the run was never told.
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var store = Services.GetRequiredService<ApprovalStore>();
        await store.NoteDecidingAsync("default", approvalId, Timeout);
        await store.UpdateAsync("default", approvalId, a => (a with
        {
            Status = ApprovalStatuses.Approved,
            Decision = new ApprovalDecision("approved", "key:key_00", "key:key_00", "stored only", DateTimeOffset.UtcNow),
            Raised = false,
        }, 0), Timeout);

        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("stored only", Step(run, "after")["output"]!["note"]!.GetValue<string>());

        // Redelivery marks the approval after raising the event, so the run may finish first.
        while (!(await StoredAsync(approvalId)).Raised)
        {
            await Task.Delay(50, Timeout);
        }
    }
}
