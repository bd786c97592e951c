using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Ratify.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class ApprovalAndKeyCommandsTests(CliHostFixture host, ITestOutputHelper output) : CliTestBase(host)
{
    [Fact]
    public async Task Watch_follows_a_run_through_its_gate_approved_with_another_key_to_completion()
    {
        var id = NewId("gate");
        await ApplyAsync(Workflows.Gate(id));
        var approver = Admin.WithKey(await CreateKeyAsync("approver", "approvals:resolve", "runs:read"));
        var runId = (await JsonAsync(Admin, "runs", "start", id, "-i", "dealId=g-1"))["runId"]!.GetValue<string>();

        // The real program follows the stream while the gate is decided from another invocation.
        var watch = Admin.RunProcessAsync(Timeout, "runs", "watch", runId);
        var approvalId = await PendingApprovalAsync(approver, runId);
        var approved = await approver.RunAsync(Timeout, "approvals", "approve", approvalId, "--note", "looks right");
        var watched = await watch;
        output.WriteLine(watched.Stdout);

        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.StartsWith($"{approvalId} approved (run {runId}", approved.Stdout, StringComparison.Ordinal);
        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Matches(@"step\.completed +draft", watched.Stdout);
        Assert.Matches(@"step\.completed +after", watched.Stdout);
        Assert.EndsWith($"run {runId} completed", watched.Stdout.TrimEnd(), StringComparison.Ordinal);
        var after = (await JsonAsync(Admin, "runs", "get", runId))["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "after")!;
        Assert.Equal("approved", after["output"]!["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rejecting_a_gate_fails_the_run_and_watch_exits_1_with_json_events()
    {
        var id = NewId("reject");
        await ApplyAsync(Workflows.Gate(id));
        var approver = Admin.WithKey(await CreateKeyAsync("rejecter", "approvals:resolve", "runs:read"));
        var runId = (await JsonAsync(Admin, "runs", "start", id, "-i", "dealId=g-2"))["runId"]!.GetValue<string>();

        var approvalId = await PendingApprovalAsync(approver, runId);
        var live = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var following = Admin.RunAsync(live, Timeout, "runs", "watch", runId);
        await EventuallyAsync(() => Task.FromResult(live.ToString().Contains($"waiting for approval {approvalId} on step gate", StringComparison.Ordinal) ? "shown" : null));
        var rejected = await approver.RunAsync(Timeout, "approvals", "reject", approvalId, "--note", "no");
        var followed = await following;
        var watched = await Admin.RunAsync(Timeout, "runs", "watch", runId, "--json");

        Assert.Equal(0, rejected.ExitCode);
        Assert.Equal(1, followed.ExitCode);
        Assert.Contains("approval_rejected", followed.Stdout, StringComparison.Ordinal);
        Assert.StartsWith($"run {runId} failed: approval_rejected", followed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.Equal(1, watched.ExitCode);
        var events = watched.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("run.started", events[0]["type"]!.GetValue<string>());
        Assert.Equal("run.failed", events[^1]["type"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e["seq"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_and_a_revoked_key_exits_4()
    {
        var created = await Admin.RunAsync(Timeout, "keys", "create", "--name", "short-lived", "--scope", "runs:read");
        var secret = created.Stdout.Trim();
        var keyId = created.Stderr.Split(' ')[2];
        var before = await Admin.WithKey(secret).RunAsync(Timeout, "runs", "list");
        var listed = await Admin.RunAsync(Timeout, "keys", "list");
        var revoked = await Admin.RunAsync(Timeout, "keys", "revoke", keyId);
        var after = await Admin.WithKey(secret).RunAsync(Timeout, "runs", "list");
        var forbidden = await Admin.WithKey(secret).RunAsync(Timeout, "keys", "list");

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("sk_ratify_", secret, StringComparison.Ordinal);
        Assert.Equal(0, before.ExitCode);
        Assert.Contains(listed.Stdout.Split('\n'), line => line.StartsWith(keyId + " ", StringComparison.Ordinal) && line.Contains("runs:read", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, listed.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, $"revoked key {keyId}"), (revoked.ExitCode, revoked.Stdout.Trim()));
        Assert.Equal(4, after.ExitCode);
        Assert.Equal(4, forbidden.ExitCode);
    }

    private async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        var created = await JsonAsync(Admin, ["keys", "create", "--name", name, .. scopes.SelectMany(s => new[] { "--scope", s })]);
        return created["secret"]!.GetValue<string>();
    }

    /// <summary>Lists the run's pending approvals with the CLI until its gate opens.</summary>
    private Task<string> PendingApprovalAsync(CliRunner runner, string runId) =>
        EventuallyAsync(async () =>
            (await JsonAsync(runner, "approvals", "list", "--run", runId, "--status", "pending"))["approvals"]!.AsArray() is [var first, ..]
                ? first!["approvalId"]!.GetValue<string>()
                : null);
}
