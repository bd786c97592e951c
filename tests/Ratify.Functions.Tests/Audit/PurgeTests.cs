using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>The admin-only retention purge: a finished run's records go, a tombstone stays in the tenant log, which still verifies.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PurgeTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task Purging_a_finished_run_deletes_its_records_and_leaves_a_tombstone_in_a_tenant_log_that_still_verifies()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);
        var last = (await RecordsAsync(admin, runId))[^1]!;

        using var response = await PostJsonAsync(admin, "/v1/admin/purge", $$"""{"finishedBefore": "{{DateTimeOffset.UtcNow.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}}"}""");
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonNode.Parse(text)!;
        Assert.False(body["more"]!.GetValue<bool>());
        var purged = Assert.Single(body["purged"]!.AsArray())!;
        Assert.Equal(runId, purged["runId"]!.GetValue<string>());
        Assert.Equal((last["sequence"]!.GetValue<long>(), last["hash"]!.GetValue<string>()), (purged["auditSequence"]!.GetValue<long>(), purged["auditHash"]!.GetValue<string>()));
        var deleted = purged["deleted"]!;
        Assert.Equal((1, 1, 4, 2), (deleted["runRows"]!.GetValue<int>(), deleted["runtimeInstances"]!.GetValue<int>(), deleted["stepOutputs"]!.GetValue<int>(), deleted["artifacts"]!.GetValue<int>()));
        Assert.True(deleted["auditRows"]!.GetValue<int>() > last["sequence"]!.GetValue<int>());

        // Gone: the run, its audit chain rows and its runtime history.
        using (var read = await admin.GetAsync($"/v1/runs/{runId}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        var table = await AuditTableAsync();
        Assert.Empty(await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(runId)}"), cancellationToken: Timeout).ToListAsync(Timeout));

        // Its events go too: its own rows, its entries in the tenant feed and its head row with the snapshot.
        Assert.True(deleted["events"]!.GetValue<int>() > 0);
        var events = new TableServiceClient(Azurite.ConnectionString).GetTableClient(Api.HubName + "Events");
        var left = await events.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"default"}"), cancellationToken: Timeout).ToListAsync(Timeout);
        Assert.DoesNotContain(left, row => row.GetString("RunId") == runId || row.RowKey.Contains(runId, StringComparison.Ordinal));

        // The tombstone names the run, what went, the chain's final head and who asked; the tenant log still verifies.
        var tombstone = Assert.Single((await GetJsonAsync(admin, "/v1/audit?type=run.purged"))["records"]!.AsArray())!;
        Assert.Equal("key", tombstone["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(runId, tombstone["data"]!["runId"]!.GetValue<string>());
        Assert.Equal(last["hash"]!.GetValue<string>(), tombstone["data"]!["runChain"]!["hash"]!.GetValue<string>());
        using var verify = await PostJsonAsync(admin, "/v1/audit/verify", """{"scope": "log"}""");
        var verified = JsonNode.Parse(await verify.Content.ReadAsStringAsync(Timeout))!;
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task A_normal_key_is_forbidden_a_running_run_is_refused_and_a_bad_time_is_named()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        using var writer = await ClientWithAsync("default", "runs:read", "runs:write");
        using (var forbidden = await PostJsonAsync(writer, "/v1/admin/purge", $$"""{"finishedBefore": "{{cutoff}}"}"""))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var refused = await PostJsonAsync(admin, "/v1/admin/purge", $$"""{"finishedBefore": "{{cutoff}}", "runIds": ["{{runId}}"]}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("only finished runs can be purged", await refused.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
        }

        using (var invalid = await PostJsonAsync(admin, "/v1/admin/purge", """{"finishedBefore": "yesterday", "runIds": [""]}"""))
        {
            Assert.Equal(["/finishedBefore", "/runIds/0"], await ProblemPointersAsync(invalid, HttpStatusCode.UnprocessableEntity, Timeout));
        }

        Assert.Equal("running", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));
        Assert.NotEmpty(await RecordsAsync(admin, runId));
        Assert.Empty((await GetJsonAsync(admin, "/v1/audit?type=run.purged"))["records"]!.AsArray());
    }
}
