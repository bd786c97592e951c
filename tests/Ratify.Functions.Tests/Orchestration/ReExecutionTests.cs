using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Ratify.Functions.Http;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>Steps that run more than once (at least once delivery) and steps that fail: what is recorded and logged.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReExecutionTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task An_attempt_run_again_after_a_takeover_shows_two_executions_of_one_attempt_and_logs_a_warning()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "once", "name": "Once", "steps": [{"id": "call", "connector": "scripted", "with": {"deal": 7}}]}
            """, null, Timeout);
        await harness.CompletionAsync(runId, Timeout);
        Assert.Equal(1, (await ViewAsync(harness, runId)).Steps.Single().Executions);

        // The same attempt again, exactly as the orchestrator scheduled it, as a new owner runs it after a takeover.
        var history = await harness.Client.GetOrchestrationHistoryAsync(runId, Timeout);
        var scheduled = history.OfType<TaskScheduledEvent>().Single(e => e.Name == ExecuteStepActivity.Name);
        var execution = harness.Services.GetRequiredService<DataConverter>().Deserialize<StepExecution>(scheduled.Input)!;
        var logger = new RecordingLogger<ExecuteStepActivity>();
        var activity = ActivatorUtilities.CreateInstance<ExecuteStepActivity>(harness.Services, logger);
        var outcome = await activity.RunAsync(new StepActivityContext(runId), execution);

        Assert.Equal(StepOutcome.CompletedKind, outcome.Kind);
        var step = (await ViewAsync(harness, runId)).Steps.Single();
        Assert.Equal((1, 2), (step.Attempts, step.Executions));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains($"Step call of run {runId}, attempt 1, is executing again (execution 2)", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_step_is_logged_at_warning_with_run_step_attempt_and_error_code()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "fails", "name": "Fails", "steps": [{"id": "bad", "connector": "scripted", "with": {"fatal": true}}]}
            """, null, Timeout);
        await harness.CompletionAsync(runId, Timeout);
        var logger = new RecordingLogger<ExecuteStepActivity>();
        var activity = ActivatorUtilities.CreateInstance<ExecuteStepActivity>(harness.Services, logger);
        var record = await harness.Services.GetRequiredService<RunStore>().GetAsync("default", runId, Timeout);

        var outcome = await activity.RunAsync(new StepActivityContext(runId),
            new StepExecution(runId, "default", record!.WorkflowId, record.Version, record.CreatedAt, "bad", 3, DateTimeOffset.UtcNow));

        Assert.Equal("bad_request", outcome.Error!.Code);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal($"Step bad of run {runId} failed on attempt 3: bad_request", warning.Message);
    }

    [Fact]
    public async Task A_late_write_of_an_earlier_attempt_cannot_replace_the_output_or_artifact_of_a_later_one()
    {
        await using var harness = new RunHarness(azurite);
        var results = harness.Services.GetRequiredService<StepResultStore>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);

        Assert.True(await results.SaveOutputAsync(runId, "call", new JsonObject { ["attempt"] = 2 }, order: 200, Timeout));
        Assert.False(await results.SaveOutputAsync(runId, "call", new JsonObject { ["attempt"] = 1 }, order: 100, Timeout));
        Assert.NotNull(await results.SaveArtifactAsync(runId, "call", "report", "text", "second"u8.ToArray(), order: 200, Timeout));
        Assert.Null(await results.SaveArtifactAsync(runId, "call", "report", "text", "first"u8.ToArray(), order: 100, Timeout));
        Assert.True(await results.SaveOutputAsync(runId, "call", new JsonObject { ["attempt"] = 3 }, order: 300, Timeout));

        Assert.Equal(3, (await results.GetOutputsAsync(runId, Timeout))["call"]!["attempt"]!.GetValue<int>());
        Assert.Equal("second", (await results.GetArtifactAsync(runId, "call", "report", Timeout))!.Value.Content.ToString());
    }

    private static async Task<RunResponse> ViewAsync(RunHarness harness, string runId)
    {
        var services = harness.Services;
        var run = (await services.GetRequiredService<RunView>().GetAsync("default", runId, Timeout))!;
        var definition = await services.GetRequiredService<WorkflowStore>().GetDefinitionAsync("default", run.Record.WorkflowId, run.Record.Version, Timeout);
        var results = services.GetRequiredService<StepResultStore>();
        return RunResponse.From(run, definition, await results.GetOutputsAsync(runId, Timeout), await results.ListArtifactsAsync(runId, Timeout),
            await services.GetRequiredService<StepAttemptStore>().GetExecutionsAsync(runId, Timeout));
    }
}
