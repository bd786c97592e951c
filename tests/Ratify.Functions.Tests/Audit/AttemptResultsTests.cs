using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>Outputs and artifacts kept per attempt: later attempts and executions add results and never change earlier ones.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AttemptResultsTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_later_attempt_and_a_second_execution_leave_the_first_attempts_results_byte_identical()
    {
        await using var harness = new RunHarness(azurite);
        var runId = await harness.StartAsync("""
            {"id": "kept", "name": "Kept", "steps": [{"id": "call", "connector": "scripted", "with": {"note": "first words"},
               "artifacts": [{"name": "summary", "type": "text", "value": "calls={{output.calls}}"}]}]}
            """, null, Timeout);
        await harness.CompletionAsync(runId, Timeout);
        var before = await RowsAsync(harness, runId);
        Assert.Equal(3, before.Count); // the output and two artifacts of attempt 1

        // Attempt 2 (a retry, scheduled later) and the same attempt 1 executed again (a takeover) both store results.
        var history = await harness.Client.GetOrchestrationHistoryAsync(runId, Timeout);
        var scheduled = history.OfType<TaskScheduledEvent>().Single(e => e.Name == ExecuteStepActivity.Name);
        var first = harness.Services.GetRequiredService<DataConverter>().Deserialize<StepExecution>(scheduled.Input)!;
        var activity = ActivatorUtilities.CreateInstance<ExecuteStepActivity>(harness.Services);
        Assert.Equal(StepOutcome.CompletedKind, (await activity.RunAsync(new StepActivityContext(runId), first with { Attempt = 2, ScheduledAt = first.ScheduledAt!.Value.AddSeconds(1) })).Kind);
        Assert.Equal(StepOutcome.CompletedKind, (await activity.RunAsync(new StepActivityContext(runId), first)).Kind);

        var after = await RowsAsync(harness, runId);
        Assert.Equal(9, after.Count);
        foreach (var (key, row) in before)
        {
            Assert.Equal(row, after[key]);
        }

        // The current result is the latest attempt's; the attempt list has every execution, in schedule order.
        var results = harness.Services.GetRequiredService<StepResultStore>();
        Assert.Equal(2, (await results.GetOutputsAsync(runId, Timeout))["call"]!["calls"]!.GetValue<int>());
        var attempts = await harness.Services.GetRequiredService<StepAttemptResultStore>().ListAsync(runId, Timeout);
        Assert.Equal([(1, 1), (1, 2), (2, 1)], attempts.Select(a => (a.Attempt, a.Execution)));
        Assert.All(attempts, a => Assert.Equal(["note", "summary"], a.Artifacts.Select(x => x.Name).Order()));
        Assert.Equal(3, attempts.Select(a => a.OutputSha256).Distinct().Count());

        // The export lists them all, with the digests they were stored with.
        var run = (await harness.Services.GetRequiredService<RunView>().GetAsync("default", runId, Timeout))!;
        using var package = new MemoryStream();
        await harness.Services.GetRequiredService<AuditExporter>().WriteAsync(run, false, package, Timeout);
        var step = JsonNode.Parse(package.ToArray())!["steps"]![0]!;
        Assert.Equal(attempts.Select(a => a.OutputSha256), step["attemptResults"]!.AsArray().Select(a => a!["outputSha256"]!.GetValue<string>()));
        Assert.Equal(attempts[0].Artifacts.Single(a => a.Name == "note").Sha256,
            step["attemptResults"]![0]!["artifacts"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "note")!["sha256"]!.GetValue<string>());
    }

    /// <summary>Every row of the run's attempt results as stored (without the storage's own timestamp and ETag), by row key.</summary>
    private static async Task<Dictionary<string, string>> RowsAsync(RunHarness harness, string runId)
    {
        var table = await harness.Services.GetRequiredService<AppTables>().GetAsync(StepAttemptResultStore.TableName, Timeout);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: Timeout))
        {
            if (row.RowKey.EndsWith("|executions", StringComparison.Ordinal))
            {
                continue; // an attempt's execution count, which a second execution raises
            }

            var values = row.Where(p => p.Key is not ("Timestamp" or "odata.etag"))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={(p.Value is byte[] b ? Convert.ToBase64String(b) : JsonSerializer.Serialize(p.Value))}");
            rows[row.RowKey] = string.Join(";", values);
        }

        return rows;
    }
}
