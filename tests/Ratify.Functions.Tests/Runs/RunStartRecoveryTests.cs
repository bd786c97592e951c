using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Runs;

/// <summary>
/// A start that a stopped host left between writing the run's row and scheduling its orchestration is settled from its note:
/// the run is marked failed, so that it does not say running forever; starts that went through are left as they are.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunStartRecoveryTests(AzuriteFixture azurite)
{
    private const string Chain = """
        {"id": "chain", "name": "Chain", "steps": [{"id": "a", "type": "transform", "with": {"v": "{{input.text}}"}}]}
        """;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_run_whose_start_stopped_before_scheduling_is_marked_failed_and_its_note_cleared()
    {
        await using var harness = new RunHarness(azurite);
        var (runs, notes) = (harness.Services.GetRequiredService<RunStore>(), harness.Services.GetRequiredService<RunStartNotes>());

        // What a host killed right after writing the row leaves: the note and a running row, no orchestration.
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await notes.NoteAsync("default", runId, Timeout);
        await runs.CreateAsync(new RunRecord(runId, "default", "chain", 1, RunStatuses.Running, null, DateTimeOffset.UtcNow, null, null, null, "test"), Timeout);

        await Recovery(harness).RecoverAsync(DateTimeOffset.UtcNow.AddMinutes(1), Timeout);

        var run = await runs.GetAsync("default", runId, Timeout);
        Assert.Equal(RunStatuses.Failed, run!.Status);
        Assert.Equal(RunLauncher.StartFailedCode, run.Error?.Code);
        Assert.Empty(await NotesAsync(harness));
    }

    [Fact]
    public async Task A_start_that_went_through_leaves_no_note_and_a_late_note_of_it_is_cleared_without_touching_the_run()
    {
        await using var harness = new RunHarness(azurite);
        var launcher = harness.Services.GetRequiredService<RunLauncher>();
        var parsed = harness.Services.GetRequiredService<WorkflowDefinitionParser>().Parse(Chain);
        var workflow = await harness.Services.GetRequiredService<WorkflowStore>().CreateAsync("default", parsed.Definition!, Timeout);

        var run = await launcher.LaunchAsync(workflow, new RunLaunch("default", new JsonObject { ["text"] = "x" }, "test"), Timeout);
        await harness.CompletionAsync(run.RunId, Timeout);
        await WaitUntilAsync(async () => (await NotesAsync(harness)).Count == 0);

        // A note whose deletion was lost: the orchestration exists, so the recovery only clears the note.
        var late = await launcher.LaunchAsync(workflow, new RunLaunch("default", new JsonObject { ["text"] = "y" }, "test"), Timeout);
        await harness.Services.GetRequiredService<RunStartNotes>().NoteAsync("default", late.RunId, Timeout);
        var running = await harness.Client.GetInstanceAsync(late.RunId, cancellation: Timeout);
        await Recovery(harness).RecoverAsync(DateTimeOffset.UtcNow.AddMinutes(1), Timeout);

        Assert.Empty(await NotesAsync(harness));
        await harness.CompletionAsync(late.RunId, Timeout);
        var stored = await harness.Services.GetRequiredService<RunStore>().GetAsync("default", late.RunId, Timeout);
        Assert.NotNull(running);
        Assert.Equal(RunStatuses.Completed, stored!.Status);
    }

    [Fact]
    public async Task A_note_without_a_run_row_is_cleared()
    {
        await using var harness = new RunHarness(azurite);
        await harness.Services.GetRequiredService<RunStartNotes>().NoteAsync("default", RunIds.New(DateTimeOffset.UtcNow), Timeout);

        await Recovery(harness).RecoverAsync(DateTimeOffset.UtcNow.AddMinutes(1), Timeout);

        Assert.Empty(await NotesAsync(harness));
    }

    [Fact]
    public async Task A_note_newer_than_the_grace_is_left_for_its_start_to_clear()
    {
        await using var harness = new RunHarness(azurite);
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await harness.Services.GetRequiredService<RunStartNotes>().NoteAsync("default", runId, Timeout);
        await harness.Services.GetRequiredService<RunStore>().CreateAsync(
            new RunRecord(runId, "default", "chain", 1, RunStatuses.Running, null, DateTimeOffset.UtcNow, null, null, null, "test"), Timeout);

        await Recovery(harness).RecoverAsync(DateTimeOffset.UtcNow - RunStartRecovery.Grace, Timeout);

        Assert.Equal([runId], await NotesAsync(harness));
        Assert.Equal(RunStatuses.Running, (await harness.Services.GetRequiredService<RunStore>().GetAsync("default", runId, Timeout))!.Status);
    }

    private static RunStartRecovery Recovery(RunHarness harness) =>
        harness.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RunStartRecovery>().Single();

    private static async Task<List<string>> NotesAsync(RunHarness harness)
    {
        var table = await harness.Services.GetRequiredService<Ratify.Functions.Storage.AppTables>().GetAsync(RunStartNotes.TableName, Timeout);
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: Timeout))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var token = Timeout;
        while (!await condition())
        {
            await Task.Delay(50, token);
        }
    }
}
