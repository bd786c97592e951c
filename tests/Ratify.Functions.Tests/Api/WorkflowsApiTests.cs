using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class WorkflowsApiTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task A_workflow_is_created_versioned_read_listed_and_archived()
    {
        using var admin = Admin();

        using var created = await PostJsonAsync(admin, "/v1/workflows", PairWorkflow);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/workflows/pair", created.Headers.Location?.OriginalString);
        var first = JsonNode.Parse(await created.Content.ReadAsStringAsync(Timeout))!;
        Assert.Equal("pair", first["id"]!.GetValue<string>());
        Assert.Equal(1, first["version"]!.GetValue<int>());
        Assert.False(first["archived"]!.GetValue<bool>());
        Assert.Equal(4, first["definition"]!["steps"]!.AsArray().Count);

        // A new version without an id in the body: the URL names the workflow.
        var v2 = JsonNode.Parse(PairWorkflow)!.AsObject();
        v2.Remove("id");
        v2["name"] = "Pair v2";
        using var updated = await admin.PutAsync("/v1/workflows/pair", new StringContent(v2.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await updated.Content.ReadAsStringAsync(Timeout))!["version"]!.GetValue<int>());

        var latest = await GetJsonAsync(admin, "/v1/workflows/pair");
        var original = await GetJsonAsync(admin, "/v1/workflows/pair?version=1");
        Assert.Equal((2, 2, "Pair v2"), (latest["version"]!.GetValue<int>(), latest["latestVersion"]!.GetValue<int>(), latest["definition"]!["name"]!.GetValue<string>()));
        Assert.Equal((1, 2, "Pair"), (original["version"]!.GetValue<int>(), original["latestVersion"]!.GetValue<int>(), original["definition"]!["name"]!.GetValue<string>()));
        using (var missingVersion = await admin.GetAsync("/v1/workflows/pair?version=7", Timeout))
        {
            await ProblemAssert.IsProblemAsync(missingVersion, HttpStatusCode.NotFound, Timeout);
        }

        var listed = await GetJsonAsync(admin, "/v1/workflows");
        Assert.Equal(["pair"], listed["workflows"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()));

        using (var deleted = await admin.DeleteAsync("/v1/workflows/pair", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.True((await GetJsonAsync(admin, "/v1/workflows/pair"))["archived"]!.GetValue<bool>());
        Assert.Empty((await GetJsonAsync(admin, "/v1/workflows"))["workflows"]!.AsArray());
        Assert.Single((await GetJsonAsync(admin, "/v1/workflows?includeArchived=true"))["workflows"]!.AsArray());

        // Archived: no new version, no new run.
        using var newVersion = await admin.PutAsync("/v1/workflows/pair", new StringContent(v2.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Timeout);
        await ProblemAssert.IsProblemAsync(newVersion, HttpStatusCode.Conflict, Timeout);
        using var run = await PostJsonAsync(admin, "/v1/runs", """{"workflowId": "pair", "input": {"dealId": "d1"}}""");
        var problem = await ProblemAssert.IsProblemAsync(run, HttpStatusCode.Conflict, Timeout);
        Assert.Contains("archived", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_workflow_twice_is_a_conflict()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        using var again = await PostJsonAsync(admin, "/v1/workflows", PairWorkflow);

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, Timeout);
    }

    [Fact]
    public async Task An_invalid_definition_is_422_with_every_error_and_its_pointer()
    {
        using var admin = Admin();
        const string definition = """
            {"id": "Bad Id", "name": "Broken", "steps": [
              {"id": "a", "type": "transform", "with": {"v": "{{ input. }}"}},
              {"id": "a", "type": "transform", "with": {}},
              {"id": "c", "connector": "no-such-connector", "dependsOn": ["zz"]},
              {"id": "d", "type": "transform", "if": "input.x >", "dependsOn": ["e"]},
              {"id": "e", "type": "transform", "dependsOn": ["d"]}
            ]}
            """;

        using var response = await PostJsonAsync(admin, "/v1/workflows", definition);

        var pointers = await ProblemPointersAsync(response, HttpStatusCode.UnprocessableEntity, Timeout);
        Assert.Contains("/id", pointers);                    // malformed workflow id
        Assert.Contains("/steps/0/with/v", pointers);        // template that does not parse
        Assert.Contains("/steps/1/id", pointers);            // duplicate step id
        Assert.Contains("/steps/2/connector", pointers);     // unknown connector
        Assert.Contains("/steps/2/dependsOn/0", pointers);   // unknown dependency
        Assert.Contains("/steps/3/if", pointers);            // condition that does not parse
        Assert.Contains(pointers, p => p is "/steps/3/dependsOn/0" or "/steps/4/dependsOn/0"); // the d <-> e cycle
    }

    [Fact]
    public async Task A_new_version_whose_body_names_another_workflow_is_422_at_id()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var other = JsonNode.Parse(PairWorkflow)!.AsObject();
        other["id"] = "other";

        using var response = await admin.PutAsync("/v1/workflows/pair", new StringContent(other.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(["/id"], await ProblemPointersAsync(response, HttpStatusCode.UnprocessableEntity, Timeout));
    }

    [Fact]
    public async Task A_new_version_of_a_missing_workflow_is_404_and_a_body_that_is_not_json_is_400()
    {
        using var admin = Admin();

        using var missing = await admin.PutAsync("/v1/workflows/nope", new StringContent(PairWorkflow.Replace("\"pair\"", "\"nope\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"), Timeout);
        using var broken = await PostJsonAsync(admin, "/v1/workflows", """{"id": "x", "steps": [""");

        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, Timeout);
        await ProblemAssert.IsProblemAsync(broken, HttpStatusCode.BadRequest, Timeout);
    }

    [Fact]
    public async Task Workflows_are_listed_a_page_at_a_time()
    {
        using var admin = Admin();
        foreach (var id in new[] { "wf-a", "wf-b", "wf-c" })
        {
            await CreateWorkflowAsync(admin, PairWorkflow.Replace("\"pair\"", $"\"{id}\"", StringComparison.Ordinal));
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await GetJsonAsync(admin, "/v1/workflows?limit=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            var items = page["workflows"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(w => w!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(["wf-a", "wf-b", "wf-c"], seen);
        using var bad = await admin.GetAsync("/v1/workflows?limit=0", Timeout);
        await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, Timeout);
    }

    [Fact]
    public async Task Another_tenants_workflow_is_404_and_scopes_are_enforced()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        using var stranger = await ClientWithAsync("other-tenant", RatifyScopes.RunsRead, RatifyScopes.RunsWrite, RatifyScopes.WorkflowsWrite);
        using var reader = await ClientWithAsync("default", RatifyScopes.RunsRead);
        using var author = await ClientWithAsync("default", RatifyScopes.WorkflowsWrite);

        using (var get = await stranger.GetAsync("/v1/workflows/pair", Timeout))
        using (var delete = await stranger.DeleteAsync("/v1/workflows/pair", Timeout))
        using (var run = await PostJsonAsync(stranger, "/v1/runs", """{"workflowId": "pair", "input": {"dealId": "d1"}}"""))
        {
            await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, Timeout);
            await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound, Timeout);
            await ProblemAssert.IsProblemAsync(run, HttpStatusCode.NotFound, Timeout);
        }

        Assert.Empty((await GetJsonAsync(stranger, "/v1/workflows"))["workflows"]!.AsArray());

        using (var create = await PostJsonAsync(reader, "/v1/workflows", PairWorkflow.Replace("\"pair\"", "\"mine\"", StringComparison.Ordinal)))
        using (var archive = await reader.DeleteAsync("/v1/workflows/pair", Timeout))
        using (var read = await author.GetAsync("/v1/workflows/pair", Timeout))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, archive.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        }

        Assert.False((await GetJsonAsync(reader, "/v1/workflows/pair"))["archived"]!.GetValue<bool>());
    }
}
