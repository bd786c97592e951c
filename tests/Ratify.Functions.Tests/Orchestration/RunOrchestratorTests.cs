using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

[Collection(AzuriteCollection.Name)]
public sealed class RunOrchestratorTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_workflow_with_a_parallel_pair_completes_with_outputs_and_artifacts()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "pair", "name": "Pair", "steps": [
              {"id": "fetch", "type": "transform", "with": {"amount": "{{input.amount}}", "deal": "{{input.dealId}}"}},
              {"id": "left", "type": "transform", "dependsOn": ["fetch"], "with": {"double": "{{steps.fetch.output.amount * 2}}"}},
              {"id": "right", "connector": "scripted", "dependsOn": ["fetch"], "with": {"deal": "{{steps.fetch.output.deal}}"}},
              {"id": "report", "type": "transform", "dependsOn": ["left", "right"],
               "with": {"summary": "Deal {{input.dealId}}: {{steps.left.output.double}}"},
               "artifacts": [{"name": "draft", "type": "markdown", "value": "# {{output.summary}}"}]}
            ]}
            """, new JsonObject { ["dealId"] = "d_8k2x", ["amount"] = 21 }, Timeout);

        var progress = await harness.CompletionAsync(runId, Timeout);
        var results = harness.Services.GetRequiredService<StepResultStore>();
        var outputs = await results.GetOutputsAsync(runId, Timeout);
        var draft = await results.GetArtifactAsync(runId, "report", "draft", Timeout);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.All(progress.Steps.Values, s => Assert.Equal(StepStatuses.Completed, s.Status));
        Assert.Equal(42, outputs["left"]!["double"]!.GetValue<int>());
        Assert.Equal("d_8k2x", outputs["right"]!["echo"]!["deal"]!.GetValue<string>());
        Assert.Equal("Deal d_8k2x: 42", outputs["report"]!["summary"]!.GetValue<string>());
        Assert.Equal("# Deal d_8k2x: 42", draft!.Value.Content.ToString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("# Deal d_8k2x: 42"))), draft.Value.Info.Sha256);
        Assert.NotNull(await results.GetArtifactAsync(runId, "right", "note", Timeout));
        var record = await harness.Services.GetRequiredService<RunStore>().GetAsync("default", runId, Timeout);
        Assert.Equal(RunStatuses.Completed, record!.Status);
    }

    [Fact]
    public async Task A_false_condition_skips_the_step_and_its_dependants()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "branch", "name": "Branch", "steps": [
              {"id": "score", "type": "transform", "with": {"value": "{{input.amount}}"}},
              {"id": "notify", "type": "transform", "dependsOn": ["score"], "if": "steps.score.output.value > 10000", "with": {}},
              {"id": "after", "type": "transform", "dependsOn": ["notify"], "with": {}},
              {"id": "always", "type": "transform", "dependsOn": ["score"], "if": "steps.score.output.value <= 10000 && !(input.amount == 0)", "with": {}}
            ]}
            """, new JsonObject { ["amount"] = 500 }, Timeout);

        var progress = await harness.CompletionAsync(runId, Timeout);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.Equal(StepStatuses.Skipped, progress.Steps["notify"].Status);
        Assert.Equal(StepStatuses.Skipped, progress.Steps["after"].Status);
        Assert.Equal(StepStatuses.Completed, progress.Steps["always"].Status);
    }

    [Fact]
    public async Task A_retryable_failure_is_retried_with_durable_backoff()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "flaky", "name": "Flaky", "steps": [
              {"id": "call", "connector": "scripted", "with": {"failTimes": 2},
               "retry": {"maxAttempts": 3, "backoff": "exponential", "initialInterval": "PT0.1S"}}
            ]}
            """, null, Timeout);

        var progress = await harness.CompletionAsync(runId, Timeout);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.Equal(3, progress.Steps["call"].Attempts);
    }

    [Fact]
    public async Task A_step_that_fails_for_good_fails_the_run_unless_it_may_continue()
    {
        await using var harness = new RunHarness(azurite);
        var failing = await harness.StartAsync("""
            {"id": "fails", "name": "Fails", "steps": [
              {"id": "bad", "connector": "scripted", "with": {"fatal": true}, "retry": {"maxAttempts": 3}},
              {"id": "next", "type": "transform", "dependsOn": ["bad"], "with": {}}
            ]}
            """, null, Timeout);
        var tolerant = await harness.StartAsync("""
            {"id": "tolerant", "name": "Tolerant", "steps": [
              {"id": "bad", "connector": "scripted", "with": {"fatal": true}, "onFailure": "continue"},
              {"id": "next", "type": "transform", "dependsOn": ["bad"], "with": {}}
            ]}
            """, null, Timeout);

        var failed = await harness.CompletionAsync(failing, Timeout);
        var continued = await harness.CompletionAsync(tolerant, Timeout);

        Assert.Equal(RunStatuses.Failed, failed.Status);
        Assert.Equal("step_failed", failed.Error!.Code);
        Assert.Contains("the remote side refused", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, failed.Steps["bad"].Attempts); // not retryable
        Assert.Equal(StepStatuses.Cancelled, failed.Steps["next"].Status);
        Assert.Equal(RunStatuses.Completed, continued.Status);
        Assert.Equal(StepStatuses.Failed, continued.Steps["bad"].Status);
        Assert.Equal(StepStatuses.Completed, continued.Steps["next"].Status);
        var record = await harness.Services.GetRequiredService<RunStore>().GetAsync("default", failing, Timeout);
        Assert.Equal((RunStatuses.Failed, "step_failed"), (record!.Status, record.Error!.Code));
    }

    [Fact]
    public async Task A_step_that_does_not_answer_in_time_times_out_durably()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "slow", "name": "Slow", "steps": [
              {"id": "hang", "connector": "scripted", "with": {"hang": true}, "timeout": "PT1S"}
            ]}
            """, null, Timeout);

        var progress = await harness.CompletionAsync(runId, Timeout);

        Assert.Equal(RunStatuses.Failed, progress.Status);
        Assert.Equal("timeout", progress.Steps["hang"].Error!.Code);
    }

    [Fact]
    public async Task A_delay_step_waits_on_a_durable_timer_and_a_cancel_event_stops_the_run()
    {
        await using var harness = new RunHarness(azurite);
        var delayed = await harness.StartAsync("""
            {"id": "pause", "name": "Pause", "steps": [
              {"id": "wait", "type": "delay", "with": {"duration": "PT1S"}},
              {"id": "after", "type": "transform", "dependsOn": ["wait"], "with": {}}
            ]}
            """, null, Timeout);
        var long_ = await harness.StartAsync("""
            {"id": "long", "name": "Long", "steps": [{"id": "wait", "type": "delay", "with": {"duration": "PT1H"}}]}
            """, null, Timeout);

        var progress = await harness.CompletionAsync(delayed, Timeout);
        await harness.Client.WaitForInstanceStartAsync(long_, cancellation: Timeout);
        await harness.Client.RaiseEventAsync(long_, RunOrchestrator.CancelEvent, new CancelRequest("not needed"), Timeout);
        var cancelled = await harness.CompletionAsync(long_, Timeout);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.True(progress.Steps["after"].StartedAt >= progress.Steps["wait"].StartedAt!.Value.AddSeconds(1));
        Assert.Equal(RunStatuses.Cancelled, cancelled.Status);
        Assert.Equal("not needed", cancelled.Error!.Message);
        Assert.Equal(StepStatuses.Cancelled, cancelled.Steps["wait"].Status);
    }
}
