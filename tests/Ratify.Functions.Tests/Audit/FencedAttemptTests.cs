using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class FencedAttemptTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task A_hanging_attempt_is_cancelled_at_its_timeout_and_the_run_fails_with_the_timeout_recorded()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "hang", "name": "Hang", "steps": [{"id": "call", "connector": "scripted", "timeout": "PT1S", "with": {"hang": true}}]}
            """);
        var runId = await StartRunAsync(admin, "hang", null);
        var run = await WaitForStatusAsync(admin, runId, "failed");
        Assert.Equal("timeout", Step(run, "call")["error"]!["code"]!.GetValue<string>());

        // The connector saw the cancellation: the attempt ended (recorded as failed by timeout) instead of hanging on
        // for its five minutes. Whether the orchestrator's timer or the attempt's answer came first, the cause is the timeout.
        var ended = await WaitForRecordAsync(admin, runId, "step.attempt.failed");
        Assert.Equal("timeout", ended["data"]!["error"]!["code"]!.GetValue<string>());

        // Even when that record lands after run.finished, the finished run's chain stays sealed.
        await WaitForListingAsync(admin, "?status=failed", 1);
        var verified = await VerifyStoredAsync(admin, runId);
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public async Task A_result_that_arrives_after_the_timeout_is_recorded_as_late_and_never_becomes_the_output()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "late", "name": "Late", "steps": [{"id": "call", "connector": "scripted", "timeout": "PT1S", "with": {"sleepMs": 1500}}]}
            """);
        var runId = await StartRunAsync(admin, "late", null);
        await WaitForStatusAsync(admin, runId, "failed");

        var late = await WaitForRecordAsync(admin, runId, "step.result_late");
        Assert.Equal(1, late["data"]!["attempt"]!.GetValue<int>());
        Assert.Equal(1, ScriptedConnector.Calls[$"{runId}:call"]);
        var run = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.Null(Step(run, "call")["output"]);
        Assert.Empty(Step(run, "call")["artifacts"]!.AsArray());
        Assert.DoesNotContain(await RecordsAsync(admin, runId), r => r!["type"]!.GetValue<string>() is "step.attempt.completed" or "artifact.written");
        await WaitForListingAsync(admin, "?status=failed", 1);
        var verified = await VerifyStoredAsync(admin, runId);
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
    }
}
