using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>A transform counts its execution in the transaction that records its result: executions stay counted and apart.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TransformExecutionCountTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_transform_executed_again_is_counted_twice_and_keeps_both_executions_results()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "shape", "name": "Shape", "steps": [
              {"id": "a", "type": "transform", "with": {"v": "{{input.n}}"}},
              {"id": "skipped", "type": "transform", "if": "input.n > 10", "with": {"v": 1}}]}
            """, new System.Text.Json.Nodes.JsonObject { ["n"] = 3 }, Timeout);
        await harness.CompletionAsync(runId, Timeout);
        var attempts = harness.Services.GetRequiredService<StepAttemptStore>();
        var attemptResults = harness.Services.GetRequiredService<StepAttemptResultStore>();

        // Counted with the result, and on its own for a step that recorded none.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["skipped"] = 1 }, await attempts.GetExecutionsAsync(runId, Timeout));
        Assert.Equal([("a", 1)], (await attemptResults.ListAsync(runId, Timeout)).Select(r => (r.StepId, r.Execution)));

        // The same attempt again, as a new owner runs it after a takeover.
        var history = await harness.Client.GetOrchestrationHistoryAsync(runId, Timeout);
        var converter = harness.Services.GetRequiredService<DataConverter>();
        var execution = history.OfType<TaskScheduledEvent>().Where(e => e.Name == ExecuteStepActivity.Name)
            .Select(e => converter.Deserialize<StepExecution>(e.Input)!).Single(e => e.StepId == "a");
        var activity = ActivatorUtilities.CreateInstance<ExecuteStepActivity>(harness.Services);
        var outcome = await activity.RunAsync(new StepActivityContext(runId), execution);

        Assert.Equal(StepOutcome.CompletedKind, outcome.Kind);
        Assert.Equal(2, (await attempts.GetExecutionsAsync(runId, Timeout))["a"]);
        Assert.Equal([("a", 1), ("a", 2)], (await attemptResults.ListAsync(runId, Timeout)).Select(r => (r.StepId, r.Execution)));
    }
}
