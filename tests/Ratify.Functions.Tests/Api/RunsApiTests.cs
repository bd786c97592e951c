using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class RunsApiTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task A_run_with_a_parallel_pair_completes_with_outputs_and_artifacts_in_definition_order()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        using var started = await admin.PostAsJsonAsync("/v1/runs", new { workflowId = "pair", input = new { dealId = "d_8k2x", amount = 21 } }, Timeout);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var body = JsonNode.Parse(await started.Content.ReadAsStringAsync(Timeout))!;
        var runId = body["runId"]!.GetValue<string>();
        Assert.Equal("running", Status(body));
        Assert.Equal($"/v1/runs/{runId}", started.Headers.Location?.OriginalString);

        var run = await WaitForStatusAsync(admin, runId, "completed");

        Assert.Equal(("pair", 1), (run["workflowId"]!.GetValue<string>(), run["version"]!.GetValue<int>()));
        Assert.Equal("d_8k2x", run["input"]!["dealId"]!.GetValue<string>());
        Assert.NotNull(run["completedAt"]);
        Assert.Null(run["error"]);
        Assert.Null(run["replayOf"]);
        Assert.Equal(["fetch", "left", "right", "report"], run["steps"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal(("completed", 1), (Status(s!), s!["attempts"]!.GetValue<int>())));
        Assert.Equal(42, Step(run, "left")["output"]!["double"]!.GetValue<int>());
        var report = Step(run, "report");
        Assert.Equal("Deal d_8k2x: 42", report["output"]!["summary"]!.GetValue<string>());
        Assert.Equal(["data", "draft"], report["artifacts"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));
        var draft = report["artifacts"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "draft")!;
        Assert.Equal($"/v1/runs/{runId}/artifacts/report/draft", draft["url"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("# Deal d_8k2x: 42"))), draft["sha256"]!.GetValue<string>());

        // The artifact list, and each artifact as JSON for agents.
        var listed = await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts");
        Assert.Equal(2, listed["artifacts"]!.AsArray().Count);
        var markdown = await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts/report/draft");
        Assert.Equal(("text", "# Deal d_8k2x: 42"), (markdown["encoding"]!.GetValue<string>(), markdown["content"]!.GetValue<string>()));
        var data = await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts/report/data");
        Assert.Equal(("json", 42), (data["encoding"]!.GetValue<string>(), data["content"]!["total"]!.GetValue<int>()));
    }

    [Fact]
    public async Task An_artifact_comes_raw_when_accept_names_its_media_type_or_raw_is_true()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "d1", ["amount"] = 1 });
        await WaitForStatusAsync(admin, runId, "completed");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{runId}/artifacts/report/draft");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));
        using var raw = await admin.SendAsync(request, Timeout);
        using var json = await admin.GetAsync($"/v1/runs/{runId}/artifacts/report/data?raw=true", Timeout);
        using var missing = await admin.GetAsync($"/v1/runs/{runId}/artifacts/report/nope", Timeout);

        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("text/markdown", raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal("# Deal d1: 2", await raw.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("nosniff", raw.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, JsonNode.Parse(await json.Content.ReadAsStringAsync(Timeout))!["total"]!.GetValue<int>());
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, Timeout);
    }

    [Fact]
    public async Task An_input_that_breaks_the_schema_is_400_with_pointers_into_the_body()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        using var missing = await PostJsonAsync(admin, "/v1/runs", """{"workflowId": "pair", "input": {"amount": "lots"}}""");
        using var notObject = await PostJsonAsync(admin, "/v1/runs", """{"workflowId": "pair", "input": 5}""");

        var pointers = await ProblemPointersAsync(missing, HttpStatusCode.BadRequest, Timeout);
        Assert.Contains("/input/dealId", pointers);
        Assert.Contains("/input/amount", pointers);
        Assert.Equal(["/input"], await ProblemPointersAsync(notObject, HttpStatusCode.BadRequest, Timeout));
        Assert.Empty((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
    }

    [Fact]
    public async Task A_start_request_without_a_workflow_is_422_and_an_unknown_workflow_is_404()
    {
        using var admin = Admin();

        using var noWorkflow = await PostJsonAsync(admin, "/v1/runs", """{"input": {}, "version": 0}""");
        using var unknown = await PostJsonAsync(admin, "/v1/runs", """{"workflowId": "nope", "input": {}}""");
        using var noBody = await admin.PostAsync("/v1/runs", null, Timeout);

        Assert.Equal(["/workflowId", "/version"], await ProblemPointersAsync(noWorkflow, HttpStatusCode.UnprocessableEntity, Timeout));
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, Timeout);
        Assert.True(noBody.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, noBody.StatusCode.ToString());
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_with_filters_and_paging()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var pairs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            pairs.Add(await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = $"d{i}" }));
        }

        var slow = await StartRunAsync(admin, "slow", null);
        foreach (var runId in pairs)
        {
            await WaitForStatusAsync(admin, runId, "completed");
        }

        var all = await GetJsonAsync(admin, "/v1/runs");
        Assert.Equal([slow, .. Enumerable.Reverse(pairs)], Ids(all));
        Assert.Equal(pairs.AsEnumerable().Reverse(), Ids(await GetJsonAsync(admin, "/v1/runs?workflowId=pair")));
        Assert.Equal(pairs.AsEnumerable().Reverse(), Ids(await WaitForListingAsync(admin, "?status=completed", pairs.Count)));
        Assert.Equal([slow], Ids(await GetJsonAsync(admin, "/v1/runs?status=running")));
        Assert.Equal(4, Ids(await GetJsonAsync(admin, $"/v1/runs?createdFrom={Uri.EscapeDataString(before.ToString("O"))}")).Count);
        Assert.Empty(Ids(await GetJsonAsync(admin, $"/v1/runs?createdTo={Uri.EscapeDataString(before.ToString("O"))}")));

        var paged = new List<string>();
        string? token = null;
        do
        {
            var page = await GetJsonAsync(admin, "/v1/runs?limit=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(Ids(page).Count <= 3);
            paged.AddRange(Ids(page));
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(Ids(all), paged);

        foreach (var bad in new[] { "limit=0", "limit=201", "limit=x", "status=done", "createdFrom=yesterday", "workflowId=Not%20Valid",
                     "createdFrom=2025-02-01&createdTo=2025-01-01" })
        {
            using var response = await admin.GetAsync("/v1/runs?" + bad, Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
        }
    }

    [Fact]
    public async Task Another_tenants_run_is_404_and_scopes_are_enforced()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "d1" });
        using var stranger = await ClientWithAsync("other-tenant", RatifyScopes.RunsRead, RatifyScopes.RunsWrite);
        using var reader = await ClientWithAsync("default", RatifyScopes.RunsRead);
        using var writer = await ClientWithAsync("default", RatifyScopes.RunsWrite);

        foreach (var path in new[] { $"/v1/runs/{runId}", $"/v1/runs/{runId}/artifacts", $"/v1/runs/{runId}/artifacts/report/draft" })
        {
            using var response = await stranger.GetAsync(path, Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, Timeout);
        }

        foreach (var action in new[] { "pause", "resume", "cancel", "retry" })
        {
            using var response = await stranger.PostAsync($"/v1/runs/{runId}/{action}", null, Timeout);
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, Timeout);
        }

        using (var replay = await PostJsonAsync(stranger, $"/v1/runs/{runId}/replay", """{"fromStep": "left"}"""))
        {
            await ProblemAssert.IsProblemAsync(replay, HttpStatusCode.NotFound, Timeout);
        }

        Assert.Empty(Ids(await GetJsonAsync(stranger, "/v1/runs")));

        using (var start = await PostJsonAsync(reader, "/v1/runs", """{"workflowId": "pair", "input": {"dealId": "d2"}}"""))
        using (var cancel = await reader.PostAsync($"/v1/runs/{runId}/cancel", null, Timeout))
        using (var read = await writer.GetAsync($"/v1/runs/{runId}", Timeout))
        using (var list = await writer.GetAsync("/v1/runs", Timeout))
        {
            Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        }

        await WaitForStatusAsync(reader, runId, "completed");
    }

    [Fact]
    public async Task The_openapi_document_lists_every_workflow_and_run_operation()
    {
        using var anonymous = Api.CreateClient();

        var document = await anonymous.GetStringAsync("/openapi/v1.json", Timeout);

        foreach (var operation in new[] { "CreateWorkflow", "UpdateWorkflow", "ListWorkflows", "GetWorkflow", "ArchiveWorkflow", "StartRun", "ListRuns",
                     "GetRun", "PauseRun", "ResumeRun", "CancelRun", "RetryRun", "ReplayRun", "ListRunArtifacts", "GetRunArtifact" })
        {
            Assert.Contains($"\"operationId\": \"{operation}\"", document, StringComparison.Ordinal);
        }
    }

    private static List<string> Ids(JsonObject page) => [.. page["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>())];
}
