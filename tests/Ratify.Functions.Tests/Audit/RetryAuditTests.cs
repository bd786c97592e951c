using System.Net;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class RetryAuditTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    private const string FlakyWorkflow = """
        {"id": "flaky", "name": "Flaky", "steps": [
           {"id": "prepare", "connector": "scripted", "with": {"n": 1}},
           {"id": "call", "connector": "scripted", "dependsOn": ["prepare"], "with": {"failTimes": 1}},
           {"id": "after", "type": "transform", "dependsOn": ["call"], "with": {"calls": "{{steps.call.output.calls}}"}}
         ]}
        """;

    [Fact]
    public async Task A_retry_leaves_the_first_executions_records_byte_identical_and_continues_the_chain()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, FlakyWorkflow);
        var runId = await StartRunAsync(admin, "flaky", null);
        await WaitForStatusAsync(admin, runId, "failed");
        await WaitForListingAsync(admin, "?status=failed", 1);
        var before = (await RecordsAsync(admin, runId)).Select(r => r!.ToJsonString()).ToList();
        Assert.Contains(before, r => r.Contains("\"step.attempt.failed\"", StringComparison.Ordinal));
        Assert.Contains(before, r => r.Contains("\"step.cancelled\"", StringComparison.Ordinal));

        using var retry = await admin.PostAsync($"/v1/runs/{runId}/retry", null, Timeout);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await WaitForStatusAsync(admin, runId, "completed");
        await WaitForListingAsync(admin, "?status=completed", 1);

        var after = (await RecordsAsync(admin, runId)).ToList();
        Assert.Equal(before, after.Take(before.Count).Select(r => r!.ToJsonString()));
        var added = after.Skip(before.Count).Select(r => r!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("run.retried", added);
        Assert.Equal("run.finished", added[^1]);
        var retried = after.Single(r => r!["type"]!.GetValue<string>() == "run.retried")!;
        Assert.Equal("key", retried["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, after.Count(r => r!["type"]!.GetValue<string>() == "run.finished"));
        Assert.Equal(2, ScriptedConnector.Calls[$"{runId}:call"]);
        Assert.True((await VerifyStoredAsync(admin, runId))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Pause_resume_and_cancel_are_recorded_with_the_key_that_asked_and_the_reason()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");
        foreach (var (action, body) in new[] { ("pause", "{}"), ("resume", "{}"), ("cancel", """{"reason": "not needed"}""") })
        {
            using var response = await PostJsonAsync(admin, $"/v1/runs/{runId}/{action}", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await WaitForListingAsync(admin, "?status=cancelled", 1);
        var records = await RecordsAsync(admin, runId);
        var types = records.Select(r => r!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["run.paused", "run.resumed", "run.cancel_requested"], types.Where(t => t is "run.paused" or "run.resumed" or "run.cancel_requested"));
        var cancel = records.Single(r => r!["type"]!.GetValue<string>() == "run.cancel_requested")!;
        Assert.Equal(("key", "not needed"), (cancel["actor"]!["kind"]!.GetValue<string>(), cancel["data"]!["reason"]!.GetValue<string>()));
        Assert.Equal("run.finished", types[^1]);
        Assert.Equal("cancelled", records[^1]!["data"]!["status"]!.GetValue<string>());
        Assert.Contains("step.cancelled", types);
    }
}
