using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary><c>GET /v1/approvals</c>: pages with a continuation token, filters in the table query, and one tenant's approvals only.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalListTests(AzuriteFixture azurite) : ApprovalTestBase(azurite, timeout: TimeSpan.FromSeconds(60))
{
    private static readonly string[] KeyGates = ["a1", "a2", "a3", "a4", "a5"];

    // Five gates any key may decide and one that only a person may, all waiting at once.
    private const string FanWorkflow = """
        {"id": "fan", "name": "Fan", "steps": [
          {"id": "a1", "type": "approval", "with": {}},
          {"id": "a2", "type": "approval", "with": {}},
          {"id": "a3", "type": "approval", "with": {}},
          {"id": "a4", "type": "approval", "with": {}},
          {"id": "a5", "type": "approval", "with": {}},
          {"id": "people", "type": "approval", "with": {"approvers": ["alice@example.com"]}}
        ]}
        """;

    [Fact(Timeout = 90_000)]
    public async Task Pages_list_every_approval_the_key_may_decide_once_and_the_filters_narrow_them()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, FanWorkflow);
        using var agent = (await AgentAsync()).Client;
        var first = await StartAtGatesAsync(admin);
        var second = await StartAtGatesAsync(admin);

        var listed = await ListAllAsync(agent, "limit=3");

        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal([.. first.Approvals.Concat(second.Approvals).Order(StringComparer.Ordinal)], listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed); // approval id order, the table's

        Assert.Equal(first.Approvals.Order(StringComparer.Ordinal), await ListAllAsync(agent, $"runId={first.RunId}&limit=2"));
        using (var approved = await ResolveAsync(agent, $"/v1/approvals/{first.Approvals[0]}/resolve", "approved"))
        {
            await JsonAsync(approved, HttpStatusCode.OK);
        }

        Assert.Equal([first.Approvals[0]], await ListAllAsync(agent, "status=approved"));
        Assert.Equal(first.Approvals.Skip(1).Order(StringComparer.Ordinal), await ListAllAsync(agent, $"status=pending&runId={first.RunId}"));
        Assert.Empty(await ListAllAsync(agent, "status=rejected"));
    }

    [Fact(Timeout = 90_000)]
    public async Task Another_tenant_lists_none_of_them_and_a_bad_query_is_a_400_naming_the_parameter()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, FanWorkflow);
        using var agent = (await AgentAsync()).Client;
        using var stranger = (await AgentAsync("other")).Client;
        var run = await StartAtGatesAsync(admin);

        Assert.Empty(await ListAllAsync(stranger, ""));
        Assert.Empty(await ListAllAsync(stranger, $"runId={run.RunId}"));
        var token = (await GetJsonAsync(agent, "/v1/approvals?limit=1"))["continuationToken"]!.GetValue<string>();

        var cases = new (HttpClient Client, string Query, string Detail)[]
        {
            (stranger, "continuationToken=" + Uri.EscapeDataString(token), "continuationToken is not one this listing returned"),
            (agent, "continuationToken=garbage", "continuationToken is not one this listing returned"),
            (agent, "limit=0", "limit must be a whole number from 1 to 200, not '0'"),
            (agent, "limit=201", "limit must be a whole number from 1 to 200, not '201'"),
            (agent, "status=open", "status must be one of approved, cancelled, pending, rejected, not 'open'"),
            (agent, "runId=nope", "runId 'nope' is not a run id"),
        };
        foreach (var (client, query, detail) in cases)
        {
            using var response = await client.GetAsync("/v1/approvals?" + query, Timeout);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>Starts a run of <c>fan</c> and waits until all its gates wait; returns the approvals a key may decide.</summary>
    private async Task<(string RunId, IReadOnlyList<string> Approvals)> StartAtGatesAsync(HttpClient admin)
    {
        var runId = await StartRunAsync(admin, "fan", new JsonObject());
        var run = await WaitForStatusAsync(admin, runId, "waiting_approval");
        return (runId, [.. KeyGates.Select(g => Step(run, g)["approval"]!["approvalId"]!.GetValue<string>())]);
    }

    /// <summary>Follows the continuation tokens of <c>GET /v1/approvals?{query}</c> to the end; the approval ids in the order listed.</summary>
    private async Task<List<string>> ListAllAsync(HttpClient client, string query)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await GetJsonAsync(client, "/v1/approvals?" + query + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            ids.AddRange(page["approvals"]!.AsArray().Select(a => a!["approvalId"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        return ids;
    }
}
