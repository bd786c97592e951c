using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>A retry after a timeout and the timed-out attempt still running on the same host: only idempotent steps overlap.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetryAfterTimeoutTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task A_retry_of_an_irreversible_step_waits_until_the_timed_out_attempt_has_stopped()
    {
        var spans = await RunAsync("irreversible", sleepFirstMs: 3500);
        Assert.True(spans[2].Start >= spans[1].End, $"attempt 2 started at {spans[2].Start:O}, attempt 1 ended at {spans[1].End:O}");
    }

    [Fact]
    public async Task A_retry_of_an_idempotent_step_starts_while_the_timed_out_attempt_still_runs()
    {
        var spans = await RunAsync("idempotent", sleepFirstMs: 5000);
        Assert.True(spans[2].Start < spans[1].End, $"attempt 2 started at {spans[2].Start:O}, attempt 1 ended at {spans[1].End:O}");
    }

    /// <summary>Runs a step whose first attempt overruns its timeout and ignores cancellation; returns each attempt's call span.</summary>
    private async Task<Dictionary<int, (DateTimeOffset Start, DateTimeOffset End)>> RunAsync(string sideEffect, int sleepFirstMs)
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, $$$"""
            {"id": "overrun", "name": "Overrun", "steps": [{"id": "call", "connector": "scripted", "timeout": "PT3S",
               "retry": {"maxAttempts": 2, "initialInterval": "PT0.1S"}, "with": {"sleepFirstMs": {{{sleepFirstMs}}}, "sideEffect": "{{{sideEffect}}}"}}]}
            """);
        var runId = await StartRunAsync(admin, "overrun", null);
        await WaitForStatusAsync(admin, runId, "completed");

        // Attempt 1 answers late whatever happens; wait for its span too.
        var key = $"{runId}:call";
        var delay = TimeSpan.FromMilliseconds(20);
        while (!ScriptedConnector.Spans.TryGetValue(key, out var queue) || queue.Count < 2)
        {
            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }

        return ScriptedConnector.Spans[key].ToDictionary(s => s.Attempt, s => (s.Start, s.End));
    }
}
