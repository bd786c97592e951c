using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Approvals;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>An approvals test against the real host: a fixed signing key, fast redelivery, and helpers for gates, links and decisions.</summary>
public abstract class ApprovalTestBase : RunsApiTestBase
{
    /// <summary>The signing key the host uses in these tests (32 bytes, base64).</summary>
    protected const string SigningKey = "cmF0aWZ5LWFwcHJvdmFsLXRlc3Qtc2lnbmluZy1rZXk=";

    protected ApprovalTestBase(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? timeout = null)
        : base(azurite, With(settings), timeout)
    {
    }

    /// <summary>draft (markdown artifact) → gate (with <paramref name="gateWith"/>) → after, which echoes the gate's note and decision.</summary>
    protected static string GateWorkflow(string id, string gateWith, string gateExtra = "") => $$$"""
        {"id": "{{{id}}}", "name": "Gate", "steps": [
          {"id": "draft", "type": "transform", "with": {"subject": "Deal {{input.dealId}}"},
           "artifacts": [{"name": "doc", "type": "markdown", "value": "# {{output.subject}}"}]},
          {"id": "gate", "type": "approval", "dependsOn": ["draft"], "with": {{{gateWith}}}{{{gateExtra}}}},
          {"id": "after", "type": "transform", "dependsOn": ["gate"],
           "with": {"note": "{{steps.gate.output.note}}", "decision": "{{steps.gate.output.decision}}"}}
        ]}
        """;

    /// <summary>A client for a new key of the default tenant with <c>runs:read</c>, <c>runs:write</c> and <c>approvals:resolve</c>, and its id.</summary>
    protected async Task<(HttpClient Client, string KeyId)> AgentAsync(string tenantId = "default")
    {
        using var admin = Admin();
        var key = await CreateKeyAsync(admin, "agent", [RatifyScopes.RunsRead, RatifyScopes.RunsWrite, RatifyScopes.ApprovalsResolve], tenantId);
        return (Client(key.Secret), key.Id);
    }

    /// <summary>Starts a run and waits until its gate waits; returns the run id and the approval id.</summary>
    protected async Task<(string RunId, string ApprovalId)> StartAtGateAsync(HttpClient client, string workflowId, JsonObject? input = null)
    {
        var runId = await StartRunAsync(client, workflowId, input ?? new JsonObject { ["dealId"] = "d_1" });
        var run = await WaitForStatusAsync(client, runId, "waiting_approval");
        var approval = Step(run, "gate")["approval"]!;
        Assert.Equal("pending", approval["status"]!.GetValue<string>());
        return (runId, approval["approvalId"]!.GetValue<string>());
    }

    /// <summary>The stored approval of the default tenant.</summary>
    protected async Task<ApprovalRecord> StoredAsync(string approvalId, string tenantId = "default") =>
        await Services.GetRequiredService<ApprovalStore>().GetAsync(tenantId, approvalId, Timeout) ?? throw new InvalidOperationException("no approval " + approvalId);

    /// <summary>Reads the approval until <paramref name="count"/> deliveries are recorded on it.</summary>
    protected async Task<ApprovalRecord> WaitForNotificationsAsync(string approvalId, int count)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var approval = await StoredAsync(approvalId);
            if (approval.Notifications.Count >= count)
            {
                return approval;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>A link the host would send <paramref name="approver"/>: its path and query (the test host answers any base URL).</summary>
    protected async Task<(string Context, string Resolve)> LinkAsync(string approvalId, string approver)
    {
        var link = Services.GetRequiredService<ApprovalLinkFactory>().Create(await StoredAsync(approvalId), approver);
        return (new Uri(link.ContextUrl).PathAndQuery, new Uri(link.ResolveUrl).PathAndQuery);
    }

    protected Task<HttpResponseMessage> ResolveAsync(HttpClient client, string path, string decision, string? note = null) =>
        client.PostAsJsonAsync(path, new { decision, note }, Timeout);

    /// <summary>An unauthenticated client, as a person opening a link.</summary>
    protected HttpClient Anonymous()
    {
        var client = Admin();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    protected static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Ratify:Approvals:SigningKeys:test"] = SigningKey,
            ["Ratify:Approvals:RedeliveryInterval"] = "00:00:00.200",
            ["Ratify:Approvals:RedeliveryGrace"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
