using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>The approver page in real headless Chromium (Debian's), against the host served over Kestrel on loopback.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalPageTests(AzuriteFixture azurite) : ApprovalTestBase(azurite, timeout: TimeSpan.FromSeconds(80))
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    [Fact(Timeout = 90_000)]
    public async Task The_page_shows_the_artifact_and_a_click_approves_it_and_the_run_continues()
    {
        var baseUrl = ServeOverLoopback();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"message": "Send the alert for {{input.dealId}}?", "approvers": ["alice@example.com"], "showArtifacts": ["draft/doc"]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var link = await LinkAsync(approvalId, "alice@example.com");

        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(baseUrl + link.Context);
        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("Send the alert for d_1?", await page.TextContentAsync("#message"));
        Assert.Equal("Deal d_1", await page.TextContentAsync("section.artifact .markdown h1"));

        await page.FillAsync("#note", "looks right");
        await page.ClickAsync("#approve");
        await page.WaitForSelectorAsync("#result.ok", new() { Timeout = 20_000 });
        Assert.StartsWith("Approved.", await page.TextContentAsync("#result"), StringComparison.Ordinal);

        var run = await WaitForStatusAsync(admin, runId, "completed");
        Assert.Equal("looks right", Step(run, "after")["output"]!["note"]!.GetValue<string>());
        Assert.Equal("alice@example.com", Step(run, "gate")["output"]!["decidedBy"]!.GetValue<string>());
    }

    [Fact(Timeout = 90_000)]
    public async Task Script_in_an_artifact_runs_nothing_and_json_and_email_are_rendered_for_people()
    {
        var baseUrl = ServeOverLoopback();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "hostile", "name": "Hostile", "steps": [
              {"id": "draft", "type": "transform", "with": {"n": 1},
               "artifacts": [
                 {"name": "doc", "type": "markdown", "value": "# Title\n\n<script>window.pwned = 'script'</script>\n\n<img src=x onerror=\"window.pwned = 'onerror'\">\n\n<a href=\"javascript:window.pwned='link'\">click</a>"},
                 {"name": "data", "type": "json", "value": {"total": 42, "items": ["a", "b"]}},
                 {"name": "mail", "type": "email", "value": "From: bot@example.com\r\nTo: cfo@example.com\r\nSubject: Big deal\r\n\r\nHello <b>CFO</b>"}]},
              {"id": "gate", "type": "approval", "dependsOn": ["draft"],
               "with": {"message": "<img src=x onerror=\"window.pwned='message'\">", "approvers": ["alice@example.com"],
                        "showArtifacts": ["draft/doc", "draft/data", "draft/mail"]}}
            ]}
            """);
        var (_, approvalId) = await StartAtGateAsync(admin, "hostile");
        var link = await LinkAsync(approvalId, "alice@example.com");

        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(baseUrl + link.Context);
        await page.WaitForSelectorAsync("#decide");
        foreach (var image in await page.QuerySelectorAllAsync("img"))
        {
            await image.DispatchEventAsync("error");
        }

        Assert.Equal("Title", await page.TextContentAsync(".markdown h1"));
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        Assert.Equal(0, await page.Locator("[onerror]").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Contains("<img", await page.TextContentAsync("#message"), StringComparison.Ordinal);
        Assert.Contains("\n  \"total\": 42", await page.TextContentAsync("pre.json"), StringComparison.Ordinal);
        Assert.Equal("Big deal", await page.TextContentAsync(".email dl dd:nth-of-type(3)"));
        Assert.Contains("Hello <b>CFO</b>", await page.TextContentAsync(".email .body"), StringComparison.Ordinal);
    }

    private static async Task<BrowserHandle> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        return new BrowserHandle(playwright, browser);
    }

    private sealed class BrowserHandle(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public Task<IPage> NewPageAsync() => browser.NewPageAsync();

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
