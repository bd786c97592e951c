using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>What a step's templates see: a small run input comes with the attempt, a larger one from the run's row.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunScopeReaderTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_carried_input_is_the_scope_input_without_reading_the_run()
    {
        await using var harness = new RunHarness(azurite);
        var reader = harness.Services.GetRequiredService<RunScopeReader>();

        // No run row exists: reading it would fail.
        var scope = await reader.ReadAsync(Execution(RunIds.New(DateTimeOffset.UtcNow), """{"n":5}"""), new HashSet<string>());

        Assert.Equal(5, scope["input"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_large_input_is_not_carried_and_is_read_from_the_run()
    {
        await using var harness = new RunHarness(azurite);
        var large = new JsonObject { ["text"] = new string('x', RunOrchestrationInput.MaxCarriedInputChars) };
        var now = DateTimeOffset.UtcNow;
        var runId = RunIds.New(now);
        await harness.Services.GetRequiredService<RunStore>().CreateAsync(
            new RunRecord(runId, "default", "echo", 1, RunStatuses.Running, large, now, null, null, null, "test"), Timeout);

        Assert.Null(RunOrchestrationInput.CarryInput(large));
        Assert.Equal("""{"n":5}""", RunOrchestrationInput.CarryInput(new JsonObject { ["n"] = 5 }));
        var scope = await harness.Services.GetRequiredService<RunScopeReader>().ReadAsync(Execution(runId, null), new HashSet<string>());
        Assert.Equal(large.ToJsonString(), scope["input"]!.ToJsonString());
    }

    private static StepExecution Execution(string runId, string? inputJson) =>
        new(runId, "default", "echo", 1, DateTimeOffset.UtcNow, "a", 1, DateTimeOffset.UtcNow, InputJson: inputJson);
}
