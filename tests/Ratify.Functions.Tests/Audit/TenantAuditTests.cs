using System.Net;
using System.Text.Json.Nodes;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class TenantAuditTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task Workflow_versions_and_keys_are_in_the_tenant_log_and_queryable_by_type_actor_and_time_within_the_tenant_only()
    {
        using var admin = Admin();
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        await CreateWorkflowAsync(admin, PairWorkflow);
        var key = await CreateKeyAsync(admin, "reader", ["runs:read"]);
        using (var revoke = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var versions = await QueryAsync(admin, "?type=workflow.version_created");
        var version = Assert.Single(versions);
        Assert.Equal(("pair", 1), (version!["data"]!["workflowId"]!.GetValue<string>(), version["data"]!["version"]!.GetValue<int>()));
        var actorId = version["actor"]!["id"]!.GetValue<string>();

        var byActor = await QueryAsync(admin, $"?actor=key:{actorId}&from={started:yyyy-MM-ddTHH:mm:ssZ}");
        Assert.Equal(["workflow.version_created", "key.created", "key.revoked"], byActor.Select(r => r!["type"]!.GetValue<string>()));
        Assert.Empty(await QueryAsync(admin, $"?to={started:yyyy-MM-ddTHH:mm:ssZ}"));

        // Another tenant sees its own log only.
        using var other = await ClientWithAsync("other", "runs:read");
        var otherLog = await QueryAsync(other, "");
        Assert.DoesNotContain(otherLog, r => r!["scope"]!.GetValue<string>().StartsWith("default/", StringComparison.Ordinal));
        Assert.Single(otherLog, r => r!["type"]!.GetValue<string>() == "key.created");

        using var stored = await PostJsonAsync(admin, "/v1/audit/verify", """{"scope": "log"}""");
        Assert.True(JsonNode.Parse(await stored.Content.ReadAsStringAsync(Timeout))!["valid"]!.GetValue<bool>());

        using var bad = await admin.GetAsync("/v1/audit?actor=robot&from=yesterday", Timeout);
        var problem = await Http.ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, Timeout);
        Assert.Contains("actor must be key, approver, hook, schedule or system", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("from must be an ISO 8601", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonArray> QueryAsync(HttpClient client, string query) =>
        (await GetJsonAsync(client, "/v1/audit" + query))["records"]!.AsArray();
}
