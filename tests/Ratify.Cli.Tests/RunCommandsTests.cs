namespace Ratify.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class RunCommandsTests(CliHostFixture host) : CliTestBase(host)
{
    [Fact]
    public async Task Start_with_inputs_and_wait_returns_the_finished_run_with_json_values_parsed()
    {
        var id = NewId("start");
        await ApplyAsync(Workflows.Pair(id));

        var run = await JsonAsync(Admin, "runs", "start", id, "--input", "dealId=d-7", "--input", "amount=21", "--wait", "30s");

        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal("d-7", run["input"]!["dealId"]!.GetValue<string>());
        var report = run["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "report")!;
        Assert.Equal("Deal d-7: 42", report["output"]!["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_with_an_input_file_and_an_idempotency_key_twice_returns_the_same_run()
    {
        var id = NewId("idem");
        await ApplyAsync(Workflows.Pair(id));
        var input = WriteFile("input.json", """{"dealId": "from-file", "amount": 1}""");

        var first = await Admin.RunAsync(Timeout, "runs", "start", id, "--input-file", input, "--input", "amount=5", "--idempotency-key", "k-1");
        var second = await Admin.RunAsync(Timeout, "runs", "start", id, "--input-file", input, "--input", "amount=5", "--idempotency-key", "k-1");
        var runId = first.Stdout.Split(' ', 2)[0];
        var run = await WaitForRunAsync(runId, r => r["status"]!.GetValue<string>() == "completed");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.StartsWith("run_", runId, StringComparison.Ordinal);
        Assert.Equal(runId, second.Stdout.Split(' ', 2)[0]);
        Assert.Equal(("from-file", 5), (run["input"]!["dealId"]!.GetValue<string>(), run["input"]!["amount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Cancel_stops_a_running_run_and_cancelling_it_again_is_a_conflict()
    {
        var id = NewId("cancel");
        await ApplyAsync(Workflows.Slow(id));
        var runId = (await JsonAsync(Admin, "runs", "start", id))["runId"]!.GetValue<string>();
        await WaitForRunAsync(runId, r => r["status"]!.GetValue<string>() == "running");

        var cancelled = await Admin.RunAsync(Timeout, "runs", "cancel", runId, "--reason", "not needed");
        var run = await WaitForRunAsync(runId, r => r["status"]!.GetValue<string>() == "cancelled");
        var again = await Admin.RunAsync(Timeout, "runs", "cancel", runId);
        var listed = await Admin.RunAsync(Timeout, "runs", "list", "--workflow", id, "--status", "cancelled");

        Assert.Equal(0, cancelled.ExitCode);
        Assert.StartsWith(runId + "  ", cancelled.Stdout, StringComparison.Ordinal);
        Assert.Contains("not needed", run["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5, again.ExitCode);
        Assert.StartsWith("error: 409 ", again.Stderr, StringComparison.Ordinal);
        Assert.Contains(runId, listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_dry_run_shows_the_plan_and_starts_nothing()
    {
        var id = NewId("replay");
        await ApplyAsync(Workflows.Pair(id));
        var runId = (await JsonAsync(Admin, "runs", "start", id, "-i", "dealId=r", "-i", "amount=2", "--wait", "30s"))["runId"]!.GetValue<string>();

        var plan = await Admin.RunAsync(Timeout, "runs", "replay", runId, "--from-step", "double", "--dry-run");
        var runs = await JsonAsync(Admin, "runs", "list", "--workflow", id);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        var lines = plan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^fetch +reuse ", lines[1]);
        Assert.Matches("^double +run ", lines[2]);
        Assert.Matches("^report +run ", lines[3]);
        Assert.StartsWith("dry run: nothing started", lines[^1], StringComparison.Ordinal);
        Assert.Single(runs["runs"]!.AsArray());
    }

    [Fact]
    public async Task A_run_that_does_not_exist_exits_3_with_the_servers_message()
    {
        var result = await Admin.RunAsync(Timeout, "runs", "get", "run_0000000000000000000000000000");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("error: 404 Not Found: ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_real_program_exits_4_for_a_bad_key_and_never_prints_it()
    {
        const string badKey = "sk_ratify_not-a-real-key-0000000000";

        var result = await Admin.WithKey(badKey).RunProcessAsync(Timeout, "runs", "list");

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("error: 401 ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(badKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_program_exits_2_for_usage_errors()
    {
        var missing = await Admin.RunProcessAsync(Timeout, "runs", "start");
        var badWait = await Admin.RunAsync(Timeout, "runs", "start", "some-workflow", "--wait", "soon");
        var badInput = await Admin.RunAsync(Timeout, "runs", "start", "some-workflow", "--input", "no-equals-sign");

        Assert.Equal((2, 2, 2), (missing.ExitCode, badWait.ExitCode, badInput.ExitCode));
        Assert.Contains("'workflow'", missing.Stderr, StringComparison.Ordinal);
        Assert.Contains("--wait must be a duration", badWait.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not key=value", badInput.Stderr, StringComparison.Ordinal);
        Assert.Equal("", missing.Stdout + badWait.Stdout + badInput.Stdout);
    }
}
