using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>A step's templates get small upstream outputs from the orchestrator; storage is read only for the others.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class UpstreamOutputTests(AzuriteFixture azurite)
{
    private const string Chain = """
        {"id": "chain", "name": "Chain", "steps": [
          {"id": "a", "type": "transform", "with": {"v": "{{input.text}}"}},
          {"id": "b", "type": "transform", "dependsOn": ["a"], "with": {"v": "{{steps.a.output.v}}"}}]}
        """;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_small_upstream_output_reaches_the_step_from_the_orchestrator_without_reading_step_outputs()
    {
        var reads = new StepOutputReads();
        await using var harness = Harness(reads);

        var runId = await harness.StartAsync(Chain, new JsonObject { ["text"] = "hello" }, Timeout);
        await harness.CompletionAsync(runId, Timeout);

        Assert.Equal(0, reads.Count);
        Assert.Equal("hello", await OutputOfAsync(harness, runId, "b"));
        Assert.Equal("""{"v":"hello"}""", (await ExecutionOfAsync(harness, runId, "b")).UpstreamOutputs?["a"]);
    }

    [Fact]
    public async Task An_output_over_the_bound_stays_in_storage_and_the_step_reads_it_there()
    {
        var reads = new StepOutputReads();
        await using var harness = Harness(reads);
        var text = new string('x', StepOutcome.MaxOutputBytes);

        var runId = await harness.StartAsync(Chain, new JsonObject { ["text"] = text }, Timeout);
        await harness.CompletionAsync(runId, Timeout);

        Assert.Equal(1, reads.Count);
        Assert.Equal(text, await OutputOfAsync(harness, runId, "b"));
        Assert.Null((await ExecutionOfAsync(harness, runId, "b")).UpstreamOutputs);
    }

    [Fact]
    public async Task A_replay_reusing_a_step_reads_the_copied_output_from_storage()
    {
        await using var harness = Harness(new StepOutputReads());
        var first = await harness.StartAsync(Chain, new JsonObject { ["text"] = "recorded" }, Timeout);
        await harness.CompletionAsync(first, Timeout);

        // The replay runs b again on a's recorded output, with another input that a would turn into another output.
        var replay = await harness.StartAsync(Chain.Replace("\"chain\"", "\"chain-replay\"", StringComparison.Ordinal), new JsonObject { ["text"] = "changed" }, Timeout, input => input with
        {
            Reuse = new Dictionary<string, ReusedStep> { ["a"] = new(first, StepStatuses.Completed, 1) },
        });
        await harness.CompletionAsync(replay, Timeout);

        Assert.Equal("recorded", await OutputOfAsync(harness, replay, "b"));
        Assert.Null((await ExecutionOfAsync(harness, replay, "b")).UpstreamOutputs);
    }

    [Fact]
    public async Task An_attempt_without_carried_outputs_reads_them_and_a_carried_one_is_used_as_it_came()
    {
        await using var harness = Harness(new StepOutputReads());
        var results = harness.Services.GetRequiredService<StepResultStore>();
        var reader = harness.Services.GetRequiredService<RunScopeReader>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await results.SaveOutputAsync(runId, "a", new JsonObject { ["v"] = "stored a" }, 1, Timeout);
        await results.SaveOutputAsync(runId, "b", new JsonObject { ["v"] = "stored b" }, 1, Timeout);
        var referenced = new HashSet<string> { "a", "b" };

        // As recorded before outputs travelled: everything from storage.
        var old = await reader.ReadAsync(Execution(runId, null), referenced);
        Assert.Equal(("stored a", "stored b"), (old["steps"]!["a"]!["output"]!["v"]!.GetValue<string>(), old["steps"]!["b"]!["output"]!["v"]!.GetValue<string>()));

        var mixed = await reader.ReadAsync(Execution(runId, new Dictionary<string, string> { ["a"] = """{"v":"carried a"}""" }), referenced);
        Assert.Equal(("carried a", "stored b"), (mixed["steps"]!["a"]!["output"]!["v"]!.GetValue<string>(), mixed["steps"]!["b"]!["output"]!["v"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Another_execution_of_the_same_attempt_keeps_the_first_output_and_reports_it()
    {
        await using var harness = Harness(new StepOutputReads());
        var results = harness.Services.GetRequiredService<StepResultStore>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);

        Assert.Equal(Storage.OrderedWrite.Written, await results.SaveAttemptOutputAsync(new StepAttemptKey(runId, "s", 2, 200, 1), """{"e":1}""", Timeout));
        Assert.Equal(Storage.OrderedWrite.Taken, await results.SaveAttemptOutputAsync(new StepAttemptKey(runId, "s", 2, 200, 2), """{"e":2}""", Timeout));
        Assert.Equal(Storage.OrderedWrite.Written, await results.SaveAttemptOutputAsync(new StepAttemptKey(runId, "s", 2, 200, 1), """{"e":1}""", Timeout));
        Assert.Equal(Storage.OrderedWrite.Older, await results.SaveAttemptOutputAsync(new StepAttemptKey(runId, "s", 1, 100, 1), """{"e":0}""", Timeout));
        Assert.Equal(1, (await results.GetOutputAsync(runId, "s", Timeout)).Output!["e"]!.GetValue<int>());
        Assert.Equal(Storage.OrderedWrite.Written, await results.SaveAttemptOutputAsync(new StepAttemptKey(runId, "s", 3, 300, 2), """{"e":3}""", Timeout));

        // A whole run's step executed again, as after a takeover: it reports the output the first execution stored (here
        // changed in storage, so that a recomputed one would differ), and the run keeps it.
        var run = await harness.StartAsync(Chain, new JsonObject { ["text"] = "first" }, Timeout);
        await harness.CompletionAsync(run, Timeout);
        var step = await ExecutionOfAsync(harness, run, "a");
        var firstExecution = new StepAttemptKey(run, "a", step.Attempt, step.ScheduledAt!.Value.UtcTicks, 1);
        Assert.Equal(Storage.OrderedWrite.Written, await results.SaveAttemptOutputAsync(firstExecution, """{"v":"stored"}""", Timeout));
        var again = await ActivatorUtilities.CreateInstance<ExecuteStepActivity>(harness.Services).RunAsync(new StepActivityContext(run), step);
        Assert.Equal((StepOutcome.CompletedKind, """{"v":"stored"}"""), (again.Kind, again.OutputJson));
        Assert.Equal("stored", await OutputOfAsync(harness, run, "a"));
    }

    private RunHarness Harness(StepOutputReads reads) => new(azurite, services: s => s.AddSingleton(_ =>
    {
        var options = new TableClientOptions();
        options.AddPolicy(reads, HttpPipelinePosition.PerCall);
        return new TableServiceClient(azurite.ConnectionString, options);
    }));

    private static async Task<string?> OutputOfAsync(RunHarness harness, string runId, string stepId) =>
        (await harness.Services.GetRequiredService<StepResultStore>().GetOutputAsync(runId, stepId, Timeout)).Output?["v"]?.GetValue<string>();

    private static async Task<StepExecution> ExecutionOfAsync(RunHarness harness, string runId, string stepId)
    {
        var converter = harness.Services.GetRequiredService<DataConverter>();
        var history = await harness.Client.GetOrchestrationHistoryAsync(runId, Timeout);
        return history.OfType<TaskScheduledEvent>().Where(e => e.Name == ExecuteStepActivity.Name)
            .Select(e => converter.Deserialize<StepExecution>(e.Input)!).Single(e => e.StepId == stepId);
    }

    private static StepExecution Execution(string runId, IReadOnlyDictionary<string, string>? carried) =>
        new(runId, "default", "chain", 1, DateTimeOffset.UtcNow, "c", 1, DateTimeOffset.UtcNow, InputJson: "{}", UpstreamOutputs: carried);

    /// <summary>Counts the app's reads of the StepOutputs table (point reads and queries).</summary>
    private sealed class StepOutputReads : HttpPipelinePolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Observe(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Observe(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Observe(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.Contains("StepOutputs(", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
