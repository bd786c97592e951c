using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratify.Connectors.Tests.Support;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalNotificationTests(AzuriteFixture azurite)
    : ApprovalTestBase(azurite, new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = "127.0.0.1" })
{
    private readonly ConcurrentQueue<JsonObject> _hooks = new();

    [Fact(Timeout = 60_000)]
    public async Task Slack_email_and_a_webhook_get_each_approvers_links_and_a_link_from_the_email_approves()
    {
        await using var receiver = new SmtpReceiver();
        await using var remote = await StandInServer.StartAsync(app =>
        {
            app.MapPost("/slack", () => Results.Text("ok"));
            app.MapPost("/approval-hook", (JsonObject body) => { _hooks.Enqueue(body); return Results.Ok(); });
        });
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated",
            """{"message": "Send {{input.dealId}}?", "approvers": ["alice@example.com", "bob@example.com"], "showArtifacts": ["draft/doc"]}""",
            ("""
            , "notify": [{"connector": "slack", "with": {"webhookUrl": "REMOTE/slack"}},
              {"connector": "email", "with": {"host": "127.0.0.1", "port": SMTP_PORT, "tls": "none", "from": "ratify@example.com"}},
              {"connector": "webhook", "with": {"url": "REMOTE/approval-hook"}}]
            """)
            .Replace("REMOTE", remote.BaseUrl, StringComparison.Ordinal).Replace("SMTP_PORT", receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var mails = new[] { (await receiver.NextMessageAsync(Timeout)).Parse(), (await receiver.NextMessageAsync(Timeout)).Parse() };
        Assert.Equal(["alice@example.com", "bob@example.com"], mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        var alice = mails.Single(m => m.To.Mailboxes.Single().Address == "alice@example.com");
        Assert.Contains("Send d_1?", alice.TextBody, StringComparison.Ordinal);

        var notifications = (await WaitForNotificationsAsync(approvalId, 4)).Notifications;
        Assert.True(notifications.Count == 4, string.Join("; ", notifications));
        var slack = JsonNode.Parse(Assert.Single(remote.Requests, r => r.Path == "/slack").Body)!;
        var buttons = slack["blocks"]![0]!["elements"]!.AsArray();
        Assert.Equal(2, buttons.Count);
        Assert.All(buttons, b => Assert.Contains($"/v1/approvals/{approvalId}/context?token=", b!["url"]!.GetValue<string>(), StringComparison.Ordinal));

        var hook = Assert.Single(_hooks);
        Assert.Equal(approvalId, hook["approvalId"]!.GetValue<string>());
        Assert.Equal(2, hook["links"]!.AsArray().Count);
        Assert.Equal(64, hook["artifacts"]![0]!["sha256"]!.GetValue<string>().Length);

        Assert.All(notifications, n => Assert.Equal("sent", n.Status));

        // Alice's own link, as her email carries it, opens her context and approves.
        var resolveUrl = alice.TextBody!.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/resolve?token=", StringComparison.Ordinal)).Split(' ')[^1];
        using var person = Anonymous();
        using (var response = await ResolveAsync(person, new Uri(resolveUrl).PathAndQuery, "approved", "from my inbox"))
        {
            await JsonAsync(response, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("alice@example.com", (await StoredAsync(approvalId)).Decision!.DecidedBy);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_failing_notification_is_retried_on_durable_timers_recorded_on_the_approval_and_in_the_audit_and_succeeds_later()
    {
        var calls = 0;
        await using var remote = await StandInServer.StartAsync(app => app.MapPost("/flaky",
            () => Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(503) : Results.Ok()));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}", """, "notify": [{"connector": "webhook", "with": {"url": "REMOTE/flaky"}}]""".Replace("REMOTE", remote.BaseUrl, StringComparison.Ordinal)));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var sent = await WaitForNotificationAsync(approvalId, "sent");
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(3, remote.Requests.Count(r => r.Path == "/flaky"));

        // Every attempt is in the run's audit chain with its outcome; the failures say why.
        var notified = (await GetJsonAsync(admin, $"/v1/runs/{runId}/audit?limit=200"))["records"]!.AsArray()
            .Where(r => r!["type"]!.GetValue<string>() == "approval.notified").Select(r => r!["data"]!).ToList();
        Assert.Equal(["retrying", "retrying", "sent"], notified.Select(d => d["outcome"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], notified.Select(d => d["attempt"]!.GetValue<int>()));
        Assert.Contains("503", notified[0]["error"]!.GetValue<string>(), StringComparison.Ordinal);

        using (var response = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(response, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "completed");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_notification_refused_for_good_is_not_retried_and_the_gate_can_still_be_decided()
    {
        await using var remote = await StandInServer.StartAsync(app => app.MapPost("/gone", () => Results.StatusCode(404)));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}", """, "notify": [{"connector": "webhook", "with": {"url": "REMOTE/gone"}}]""".Replace("REMOTE", remote.BaseUrl, StringComparison.Ordinal)));
        var (agent, _) = await AgentAsync();
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var failed = await WaitForNotificationAsync(approvalId, "failed");
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("404", failed.Error, StringComparison.Ordinal);

        using (var response = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved"))
        {
            await JsonAsync(response, HttpStatusCode.OK);
        }

        await WaitForStatusAsync(admin, runId, "completed");
        Assert.Single(remote.Requests, r => r.Path == "/gone");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_decision_that_arrives_before_the_run_waits_still_counts()
    {
        // The webhook receiver decides while the gate is still sending its notification, before the run waits for the event.
        var (agent, _) = await AgentAsync();
        await using var remote = await StandInServer.StartAsync(app => app.MapPost("/decide", async (JsonObject body) =>
        {
            using var response = await ResolveAsync(agent, $"/v1/approvals/{body["approvalId"]}/resolve", "approved", "decided early");
            return Results.StatusCode((int)response.StatusCode);
        }));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}", """, "notify": [{"connector": "webhook", "with": {"url": "REMOTE/decide"}}]""".Replace("REMOTE", remote.BaseUrl, StringComparison.Ordinal)));

        var runId = await StartRunAsync(admin, "gated", new JsonObject { ["dealId"] = "d_1" });
        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("decided early", Step(run, "after")["output"]!["note"]!.GetValue<string>());
        Assert.Equal("sent", (await StoredAsync(Step(run, "gate")["approval"]!["approvalId"]!.GetValue<string>())).Notifications.Single().Status);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_gate_that_times_out_escalates_with_fresh_links_and_the_escalated_approver_decides()
    {
        var person = Anonymous();
        await using var remote = await StandInServer.StartAsync(app => app.MapPost("/escalation", async (JsonObject body) =>
        {
            _hooks.Enqueue(body);
            var link = body["links"]!.AsArray().Single()!;
            if (link["approver"]!.GetValue<string>() == "cfo@example.com")
            {
                using var response = await ResolveAsync(person, new Uri(link["resolveUrl"]!.GetValue<string>()).PathAndQuery, "approved", "cfo says yes");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            return Results.Ok();
        }));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated",
            """{"approvers": ["alice@example.com"], "timeout": "PT1S", "onTimeout": "escalate", "escalateTo": ["cfo@example.com"]}""",
            """, "notify": [{"connector": "webhook", "with": {"url": "REMOTE/escalation"}}]""".Replace("REMOTE", remote.BaseUrl, StringComparison.Ordinal)));

        var runId = await StartRunAsync(admin, "gated", new JsonObject { ["dealId"] = "d_1" });
        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal(["alice@example.com", "cfo@example.com"], _hooks.Select(h => h["links"]![0]!["approver"]!.GetValue<string>()));
        var approval = await StoredAsync(Step(run, "gate")["approval"]!["approvalId"]!.GetValue<string>());
        Assert.Equal(1, approval.Round);
        Assert.Equal("cfo@example.com", approval.Decision!.DecidedBy);
        person.Dispose();
    }

    /// <summary>Reads the approval until its one delivery has <paramref name="status"/>.</summary>
    private async Task<Ratify.Functions.Approvals.ApprovalNotification> WaitForNotificationAsync(string approvalId, string status)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if ((await StoredAsync(approvalId)).Notifications.SingleOrDefault(n => n.Status == status) is { } found)
            {
                return found;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}
