using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>Cancelling a run reaches the attempts still executing: the connector's token fires and a late answer is discarded.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunCancellationTests(AzuriteFixture azurite)
    : AuditApiTestBase(azurite, new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = "127.0.0.1" })
{
    [Fact]
    public async Task Cancelling_the_run_aborts_the_outbound_request_of_a_blocked_step_and_records_the_step_cancelled()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var remote = await StandInServer.StartAsync(app => app.MapGet("/slow", async (HttpContext context) =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(-1, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }

            return Results.Ok();
        }));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, $$$"""
            {"id": "blocked", "name": "Blocked", "steps": [{"id": "call", "connector": "http", "with": {"method": "GET", "url": "{{{remote.BaseUrl}}}/slow"}}]}
            """);
        var runId = await StartRunAsync(admin, "blocked", null);
        await arrived.Task.WaitAsync(Timeout);

        using (var cancel = await PostJsonAsync(admin, $"/v1/runs/{runId}/cancel", """{"reason": "not needed"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        // The remote side sees the request go away: the connector's token fired, long before any timeout.
        await aborted.Task.WaitAsync(Timeout);
        var run = await WaitForStatusAsync(admin, runId, "cancelled");
        Assert.Equal("cancelled", Status(Step(run, "call")));
        Assert.Null(Step(run, "call")["output"]);
        var ended = await WaitForRecordAsync(admin, runId, "step.attempt.cancelled");
        Assert.Equal(1, ended["data"]!["attempt"]!.GetValue<int>());
        await WaitForListingAsync(admin, "?status=cancelled", 1);
        Assert.True((await VerifyStoredAsync(admin, runId))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_result_that_arrives_after_the_run_was_cancelled_never_becomes_the_output()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "deaf", "name": "Deaf", "steps": [{"id": "call", "connector": "scripted", "with": {"sleepMs": 1500}}]}
            """);
        var runId = await StartRunAsync(admin, "deaf", null);
        await WaitForCallAsync($"{runId}:call");

        using (var cancel = await PostJsonAsync(admin, $"/v1/runs/{runId}/cancel", "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        // The connector ignores its token and answers anyway: the answer is recorded as cancelled, never stored.
        var ended = await WaitForRecordAsync(admin, runId, "step.attempt.cancelled");
        Assert.Contains("after its run was cancelled", ended["data"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var run = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.Equal("cancelled", Status(Step(run, "call")));
        Assert.Null(Step(run, "call")["output"]);
        Assert.Empty(Step(run, "call")["artifacts"]!.AsArray());
        Assert.DoesNotContain(await RecordsAsync(admin, runId), r => r!["type"]!.GetValue<string>() is "step.attempt.completed" or "artifact.written");
    }

    private async Task WaitForCallAsync(string key)
    {
        var delay = TimeSpan.FromMilliseconds(10);
        while (!ScriptedConnector.Calls.ContainsKey(key))
        {
            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }
}
