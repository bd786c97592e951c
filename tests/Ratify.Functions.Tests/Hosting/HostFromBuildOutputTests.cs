using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Hosting;

/// <summary>
/// The host started the way the run script and the container start it: a process run from its build output, outside
/// Development, where the pages' files are found only through the static web assets manifest.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostFromBuildOutputTests(AzuriteFixture azurite)
{
    private static readonly string WebRoot = Path.Combine(RepositoryRoot.Path, "src", "Ratify.Functions", "wwwroot");

    [Fact]
    public async Task The_host_run_from_its_build_output_serves_its_pages_and_runs_the_demo_workflow()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var host = await RatifyHostProcess.StartAsync(azurite.ConnectionString, timeout.Token);
        using var browser = new HttpClient { BaseAddress = host.Client.BaseAddress }; // no key, as a browser asks

        using var health = await browser.GetAsync(new Uri("healthz", UriKind.Relative), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardHeadersMiddleware.ContentSecurityPolicy, string.Join("; ", page.Headers.GetValues("Content-Security-Policy")));

        var files = Directory.GetFiles(Path.Combine(WebRoot, "dashboard"), "*.js").Append(Path.Combine(WebRoot, "approvals", "approval.js"));
        foreach (var file in files)
        {
            var path = "/" + Path.GetRelativePath(WebRoot, file).Replace(Path.DirectorySeparatorChar, '/');
            using var served = await browser.GetAsync(new Uri(path, UriKind.Relative), timeout.Token);
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)served.StatusCode}");
            Assert.Equal("text/javascript", served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllTextAsync(file, timeout.Token), await served.Content.ReadAsStringAsync(timeout.Token));
        }

        await RunTheDemoAsync(host.Client, timeout.Token);
    }

    /// <summary>Seeds the demo workflow as the run script does, runs it to its gate, approves it and waits for the end.</summary>
    private static async Task RunTheDemoAsync(HttpClient api, CancellationToken cancellation)
    {
        var definition = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "demo", "deal-alert-pipeline.json"), cancellation);
        using var seeded = await api.PostAsync(new Uri("/v1/workflows", UriKind.Relative), new StringContent(definition, System.Text.Encoding.UTF8, "application/json"), cancellation);
        Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);

        using var started = await api.PostAsJsonAsync(
            new Uri("/v1/runs", UriKind.Relative), new { workflowId = "deal-alert-pipeline", input = new { dealId = "d_8k2x", amount = 42000 } }, cancellation);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>(cancellation))!["runId"]!.GetValue<string>();

        var waiting = await RunWhenAsync(api, runId, "waiting_approval", cancellation);
        var review = waiting["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "review")!;
        var approvalId = review["approval"]!["approvalId"]!.GetValue<string>();

        // Approved by an approver's own key, as the run script's instructions do.
        using var created = await api.PostAsJsonAsync(
            new Uri("/v1/keys", UriKind.Relative), new { name = "demo approver", scopes = new[] { "runs:read", "approvals:resolve" } }, cancellation);
        var approverKey = (await created.Content.ReadFromJsonAsync<JsonObject>(cancellation))!["secret"]!.GetValue<string>();
        using var resolve = new HttpRequestMessage(HttpMethod.Post, new Uri($"/v1/approvals/{approvalId}/resolve", UriKind.Relative))
        {
            Content = JsonContent.Create(new { decision = "approved", note = "send it" }),
        };
        resolve.Headers.Authorization = new("Bearer", approverKey);
        using var resolved = await api.SendAsync(resolve, cancellation);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);

        var completed = await RunWhenAsync(api, runId, "completed", cancellation);
        Assert.All(completed["steps"]!.AsArray(), s => Assert.Equal("completed", s!["status"]!.GetValue<string>()));
    }

    private static async Task<JsonObject> RunWhenAsync(HttpClient api, string runId, string status, CancellationToken cancellation)
    {
        while (true)
        {
            var run = (await api.GetFromJsonAsync<JsonObject>(new Uri($"/v1/runs/{runId}", UriKind.Relative), cancellation))!;
            if (run["status"]!.GetValue<string>() == status)
            {
                return run;
            }

            Assert.DoesNotContain(run["status"]!.GetValue<string>(), new[] { "failed", "cancelled", "completed" });
            await Task.Delay(50, cancellation);
        }
    }
}
