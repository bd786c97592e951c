using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Ratify.Functions.Tests.Approvals;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Dashboard;

/// <summary>The dashboard in real headless Chromium against the host served over Kestrel on loopback.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardPageTests(AzuriteFixture azurite, ChromiumFixture chromium)
    : ApprovalTestBase(azurite, timeout: TimeSpan.FromSeconds(80)), IClassFixture<ChromiumFixture>
{
    private const float Wait = 30_000;

    [Fact(Timeout = 90_000)]
    public async Task A_run_reaches_its_gate_live_is_approved_on_the_page_completes_is_replayed_from_a_step_and_its_audit_verifies()
    {
        var baseUrl = ServeOverLoopback();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"message": "Send the alert for {{input.dealId}}?", "showArtifacts": ["draft/doc"]}"""));
        var key = await AgentSecretAsync();
        using var agent = Client(key);

        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(baseUrl + "/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        await SignInAsync(page, key);
        Assert.DoesNotContain(key, page.Url, StringComparison.Ordinal);

        // Started from the API while the list is open: the list shows it without a reload.
        var runId = await StartRunAsync(admin, "gated", new JsonObject { ["dealId"] = "d_7" });
        await page.ClickAsync($"a[href='#/runs/{runId}']", new() { Timeout = Wait });

        var approve = page.Locator("article.approval[data-status='pending'] button.approve");
        await approve.WaitForAsync(new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("article.approval .message")).ToHaveTextAsync("Send the alert for d_7?", new() { Timeout = Wait });
        await Assertions.Expect(page.Locator(".artifact .markdown h1")).ToHaveTextAsync("Deal d_7", new() { Timeout = Wait });
        await page.FillAsync("article.approval textarea", "ship it");
        await approve.ClickAsync();
        await page.WaitForSelectorAsync("#run-status[data-status='completed']", new() { Timeout = Wait });
        var run = await GetJsonAsync(agent, $"/v1/runs/{runId}");
        Assert.Equal("ship it", Step(run, "after")["output"]!["note"]!.GetValue<string>());

        // Replay from the last step: the dry-run plan shows first, and only the confirmation starts a new run.
        await page.ClickAsync("tr[data-step='after'] button.replay");
        await page.WaitForSelectorAsync("#replay-plan", new() { Timeout = Wait });
        Assert.Equal("reuse", await page.GetAttributeAsync("#replay-plan tr[data-step='draft']", "data-action"));
        Assert.Equal("run", await page.GetAttributeAsync("#replay-plan tr[data-step='after']", "data-action"));
        Assert.Single((await GetJsonAsync(agent, "/v1/runs?workflowId=gated"))["runs"]!.AsArray());
        await page.ClickAsync("#dialog-confirm");
        await page.WaitForFunctionAsync($"() => location.hash.startsWith('#/runs/') && location.hash !== '#/runs/{runId}'", null, new() { Timeout = Wait });
        var replayId = new Uri(page.Url).Fragment["#/runs/".Length..];
        await Assertions.Expect(page.Locator("h1 code")).ToHaveTextAsync(replayId, new() { Timeout = Wait });
        await page.WaitForSelectorAsync("#run-status[data-status='completed']", new() { Timeout = Wait });
        var replay = await GetJsonAsync(agent, $"/v1/runs/{replayId}");
        Assert.Equal(runId, replay["replayOf"]!.GetValue<string>());
        Assert.Equal(runId, Step(replay, "draft")["reusedFrom"]!.GetValue<string>());

        // The original run's audit trail, verified by the server (its chain is sealed once the run has finished).
        await WaitForVerifiedAsync(agent, runId);
        await page.GotoAsync($"{baseUrl}/#/runs/{runId}");
        await Assertions.Expect(page.Locator("h1 code")).ToHaveTextAsync(runId, new() { Timeout = Wait });
        await page.ClickAsync("#audit-verify", new() { Timeout = Wait });
        await page.WaitForSelectorAsync("#audit-result.verified", new() { Timeout = Wait });
        Assert.StartsWith("Verified.", await page.TextContentAsync("#audit-result"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#audit-records tbody tr").CountAsync() > 3);
    }

    [Fact(Timeout = 90_000)]
    public async Task Script_in_an_artifact_runs_nothing_on_the_dashboard()
    {
        var baseUrl = ServeOverLoopback();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, DashboardEndpointsTests.HostileWorkflow);
        var runId = await StartRunAsync(admin, "hostile", new JsonObject());
        await WaitForStatusAsync(admin, runId, "completed");
        var key = await AgentSecretAsync();

        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/");
        await SignInAsync(page, key);
        await AssertAccessibleAsync(page);
        await page.GotoAsync($"{baseUrl}/#/runs/{runId}");
        await page.WaitForSelectorAsync(".artifact .markdown h1", new() { Timeout = Wait });
        await page.WaitForSelectorAsync(".artifact .html p", new() { Timeout = Wait });
        await page.WaitForSelectorAsync(".artifact .email", new() { Timeout = Wait });
        foreach (var image in await page.QuerySelectorAllAsync("#artifacts img"))
        {
            await image.DispatchEventAsync("error");
        }

        foreach (var link in await page.QuerySelectorAllAsync("#artifacts a"))
        {
            Assert.DoesNotContain("javascript:", await link.GetAttributeAsync("href") ?? "", StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, await page.Locator("#artifacts script, #artifacts iframe").CountAsync());
        Assert.Equal(0, await page.Locator("#artifacts [onerror], #artifacts [onclick]").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Contains("\n  \"total\": 42", await page.TextContentAsync(".artifact pre.json"), StringComparison.Ordinal);
        Assert.Equal("Big deal", await page.TextContentAsync(".artifact .email dl dd:nth-of-type(3)"));
        await AssertAccessibleAsync(page);

        // The workflows pages: the list, then one workflow's definition and a diff of its versions.
        await page.ClickAsync("nav a[href='#/workflows']");
        await page.ClickAsync("#workflows a[href='#/workflows/hostile']", new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#definition")).ToContainTextAsync("\"id\": \"draft\"", new() { Timeout = Wait });
        await page.ClickAsync("#diff-show");
        await Assertions.Expect(page.Locator("#diff-summary")).ToHaveTextAsync("Version 1 → 1: 0 line(s) added, 0 removed.", new() { Timeout = Wait });
        await AssertAccessibleAsync(page);
    }

    /// <summary>
    /// axe-core finds no WCAG 2.1 A or AA violation (labels, names, contrast, structure) on the page as it stands; artifact content
    /// is what steps wrote (an image without alt text there is the author's), so it is left out.
    /// </summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var dashboardOnly = new AxeRunContext { Exclude = [new AxeSelector(".artifact .content")] };
        var result = await page.RunAxe(dashboardOnly, new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target))})")));
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#sign-in-form button[type=submit]");
        await page.WaitForSelectorAsync("#runs-body", new() { Timeout = Wait });
    }

    /// <summary>The secret of a new agent key (runs:read, runs:write, approvals:resolve): not the key that starts runs, so it may approve them.</summary>
    private async Task<string> AgentSecretAsync()
    {
        using var admin = Admin();
        var created = await CreateKeyAsync(admin, "dashboard", ["runs:read", "runs:write", "approvals:resolve"]);
        return created.Secret;
    }

    private async Task WaitForVerifiedAsync(HttpClient client, string runId)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            using var response = await client.PostAsJsonAsync("/v1/audit/verify", new { runId }, Timeout);
            var verification = JsonNode.Parse(await response.Content.ReadAsStringAsync(Timeout))!;
            if (verification["valid"]?.GetValue<bool>() == true)
            {
                return;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}
