using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Http;
using Ratify.Functions.Tests.Api;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Dashboard;

/// <summary>What the dashboard reads beyond the API: its files under a strict policy, rendered artifacts, and version diffs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardEndpointsTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    /// <summary>One transform step whose artifacts try to run script in every way markdown, HTML and email allow.</summary>
    internal const string HostileWorkflow = """
        {"id": "hostile", "name": "Hostile", "steps": [
          {"id": "draft", "type": "transform", "with": {"n": 1},
           "artifacts": [
             {"name": "doc", "type": "markdown", "value": "# Title\n\n<script>window.pwned = 'script'</script>\n\n<img src=x onerror=\"window.pwned = 'onerror'\">\n\n<a href=\"javascript:window.pwned='link'\">click</a>"},
             {"name": "page", "type": "html", "value": "<p>Hello</p><img src=x onerror=\"window.pwned='html'\"><iframe src=\"javascript:window.pwned='frame'\"></iframe><svg onload=\"window.pwned='svg'\"></svg>"},
             {"name": "data", "type": "json", "value": {"total": 42, "items": ["a", "b"]}},
             {"name": "mail", "type": "email", "value": "From: bot@example.com\r\nTo: cfo@example.com\r\nSubject: Big deal\r\n\r\nHello <b>CFO</b>"}]}
        ]}
        """;

    [Fact(Timeout = 60_000)]
    public async Task The_dashboard_is_served_at_the_root_under_a_strict_policy()
    {
        using var client = Api.CreateClient();
        foreach (var path in new[] { "/", "/dashboard/app.js", "/dashboard/dashboard.css" })
        {
            using var response = await client.GetAsync(path, Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        var html = await client.GetStringAsync("/", Timeout);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_rendered_artifact_is_sanitised_and_another_tenants_run_is_not_found()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, HostileWorkflow);
        var runId = await StartRunAsync(admin, "hostile", new JsonObject());
        await WaitForStatusAsync(admin, runId, "completed");

        var markdown = await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts/draft/doc/rendered");
        var fragment = markdown["html"]!.GetValue<string>();
        Assert.Contains("<h1", fragment, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", fragment, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", fragment, StringComparison.OrdinalIgnoreCase);
        var page = (await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts/draft/page/rendered"))["html"]!.GetValue<string>();
        Assert.Contains("<p>Hello</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("iframe", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onload", page, StringComparison.OrdinalIgnoreCase);
        var mail = (await GetJsonAsync(admin, $"/v1/runs/{runId}/artifacts/draft/mail/rendered"))["html"]!.GetValue<string>();
        Assert.Contains("Hello &lt;b&gt;CFO&lt;/b&gt;", mail, StringComparison.Ordinal);

        using var missing = await admin.GetAsync($"/v1/runs/{runId}/artifacts/draft/nothing/rendered", Timeout);
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, Timeout);
        using var other = await ClientWithAsync("other", "runs:read");
        using var foreign = await other.GetAsync($"/v1/runs/{runId}/artifacts/draft/doc/rendered", Timeout);
        await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.NotFound, Timeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_diff_of_two_versions_lists_added_and_removed_lines_and_a_bad_query_names_each_problem()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        using var put = await admin.PutAsync("/v1/workflows/pair", new StringContent(PairWorkflow.Replace("\"name\": \"Pair\"", "\"name\": \"Pair two\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var diff = await GetJsonAsync(admin, "/v1/workflows/pair/diff?from=1&to=2");
        Assert.Equal(1, diff["added"]!.GetValue<int>());
        Assert.Equal(1, diff["removed"]!.GetValue<int>());
        var lines = diff["lines"]!.AsArray();
        Assert.Contains(lines, l => l!["change"]!.GetValue<string>() == "added" && l["text"]!.GetValue<string>().Contains("Pair two", StringComparison.Ordinal));
        Assert.Contains(lines, l => l!["change"]!.GetValue<string>() == "removed" && l["fromLine"] is not null && l["toLine"] is null);

        using var bad = await admin.GetAsync("/v1/workflows/pair/diff?from=one", Timeout);
        var problem = await ProblemAssert.IsProblemAsync(bad, HttpStatusCode.BadRequest, Timeout);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("from must be a version number", detail, StringComparison.Ordinal);
        Assert.Contains("to is required", detail, StringComparison.Ordinal);
        using var unknown = await admin.GetAsync("/v1/workflows/pair/diff?from=1&to=9", Timeout);
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, Timeout);
        using var other = await ClientWithAsync("other", "runs:read");
        using var foreign = await other.GetAsync("/v1/workflows/pair/diff?from=1&to=2", Timeout);
        await ProblemAssert.IsProblemAsync(foreign, HttpStatusCode.NotFound, Timeout);
    }
}
