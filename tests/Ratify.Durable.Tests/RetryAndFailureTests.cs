using System.Collections.Concurrent;
using Microsoft.DurableTask.Client;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RetryAndFailureTests(AzuriteFixture azurite)
{
    private static readonly ConcurrentDictionary<string, int> Attempts = new();
    private static readonly ConcurrentDictionary<string, bool> ScheduleB = new();

    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<int, int>("FailTwice", (ctx, _) =>
        {
            var attempt = Attempts.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
            return attempt <= 2 ? throw new InvalidOperationException($"attempt {attempt} failed") : Task.FromResult(attempt);
        });
        r.AddActivityFunc<string, string>("A", (_, s) => Task.FromResult("A"));
        r.AddActivityFunc<string, string>("B", (_, s) => Task.FromResult("B"));
        r.AddOrchestratorFunc<int, int>("Retried", (ctx, maxAttempts) =>
            ctx.CallActivityAsync<int>("FailTwice", 0, TaskOptions.FromRetryPolicy(new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(100), 2.0))));
        r.AddOrchestratorFunc<string, string>("Changes", async (ctx, _) =>
        {
            await ctx.CallActivityAsync<string>(ScheduleB.ContainsKey(ctx.InstanceId) ? "B" : "A");
            return await ctx.WaitForExternalEvent<string>("Go");
        });
    }

    [Fact]
    public async Task A_failing_activity_is_retried_with_backoff_until_it_succeeds()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retried", 3, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(3, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task An_activity_that_fails_more_often_than_the_policy_allows_fails_the_orchestration()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retried", 2, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("attempt 2 failed", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.True(done.FailureDetails.InnerFailure is null || done.FailureDetails.InnerFailure.ErrorType.Length > 0);
    }

    [Fact]
    public async Task A_non_deterministic_orchestrator_fails_with_an_error_naming_the_recorded_event()
    {
        var hub = TestNames.NewHub();
        string id;
        await using (var before = await TestWorkerHost.StartAsync(azurite, hub, Register))
        {
            id = await before.Client.ScheduleNewOrchestrationInstanceAsync("Changes", "", cancellation: TestTimeout.Token());
            await WaitForHistoryAsync(before.Client, id, h => h.OfType<DurableTask.Core.History.TaskCompletedEvent>().Any());
        }

        // A new deployment whose code schedules another activity than the history records.
        ScheduleB[id] = true;
        await using var after = await TestWorkerHost.StartAsync(azurite, hub, Register);
        await after.Client.RaiseEventAsync(id, "Go", "x", TestTimeout.Token());
        var done = await after.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(DurableTask.Core.Exceptions.NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("activity 'A'", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("activity 'B'", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    internal static async Task WaitUntilAsync(DurableTaskClient client, string id, Func<OrchestrationMetadata, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var metadata = await client.GetInstanceAsync(id, cancellation: TestTimeout.Token());
            if (metadata is not null && condition(metadata))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Instance {id} did not reach the expected state in time.");
            await Task.Delay(25);
        }
    }

    internal static async Task<IList<DurableTask.Core.History.HistoryEvent>> WaitForHistoryAsync(
        DurableTaskClient client, string id, Func<IList<DurableTask.Core.History.HistoryEvent>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var history = await client.GetOrchestrationHistoryAsync(id, TestTimeout.Token());
            if (condition(history))
            {
                return history;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Instance {id} did not record the expected history in time.");
            await Task.Delay(25);
        }
    }
}
