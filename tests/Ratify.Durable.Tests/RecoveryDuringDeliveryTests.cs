using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

/// <summary>Recovery re-dispatches only work that is really lost, never an activity whose result is on its way.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecoveryDuringDeliveryTests(AzuriteFixture azurite)
{
    private static readonly ConcurrentDictionary<string, int> Runs = new();

    [Fact]
    public async Task An_activity_whose_result_waits_for_the_next_episode_is_not_run_again_by_recovery()
    {
        await using var host = await StartAsync();
        var history = host.Services.GetRequiredService<HistoryStore>();
        var (id, held) = await RunWithFirstResultHeldAsync(host, async message =>
        {
            // Another loader takes the instance while the first result is on its way: the episode that
            // brings the result fails its commit and recovers from storage, where the activity is still open.
            var snapshot = await history.LoadAsync(message.InstanceId);
            await history.ClaimAsync(message.InstanceId, snapshot!.ETag);
        });

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.True(held());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task An_activity_that_has_finished_but_not_yet_handed_over_its_result_is_not_run_again_by_recovery()
    {
        await using var host = await StartAsync();
        var history = host.Services.GetRequiredService<HistoryStore>();
        var (id, held) = await RunWithFirstResultHeldAsync(host, async message =>
        {
            // A recovering episode runs to its end after the activity finished and before its result reached the session.
            var snapshot = await history.LoadAsync(message.InstanceId);
            await history.ClaimAsync(message.InstanceId, snapshot!.ETag);
            await host.Client.RaiseEventAsync(message.InstanceId, "Nudge", "", TestTimeout.Token());
            await RetryAndFailureTests.WaitForHistoryAsync(host.Client, message.InstanceId, h => h.OfType<DurableTask.Core.History.EventRaisedEvent>().Any());
        });

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.True(held());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, done.ReadOutputAs<int>());
    }

    // One activity slot: a second run of Count would take it before Read, so Read sees every run of Count.
    private Task<TestWorkerHost> StartAsync() => TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), r =>
    {
        r.AddActivityFunc<string, int>("Count", (ctx, _) => Runs.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1));
        r.AddActivityFunc<string, int>("Read", (ctx, _) => Runs.GetValueOrDefault(ctx.InstanceId));
        r.AddOrchestratorFunc<string, int>("CountThenRead", async (ctx, _) =>
        {
            await ctx.CallActivityAsync<int>("Count", "");
            return await ctx.CallActivityAsync<int>("Read", "");
        });
    }, o => o.MaxConcurrentActivityFunctions = 1);

    /// <summary>Starts CountThenRead with <paramref name="meanwhile"/> run before Count's result is handed to the instance.</summary>
    private static async Task<(string Id, Func<bool> Held)> RunWithFirstResultHeldAsync(TestWorkerHost host, Func<TaskMessage, Task> meanwhile)
    {
        var activities = host.Services.GetRequiredService<ActivityDispatcher>();
        var deliver = await WaitForDeliveryAsync(activities);
        var held = 0;
        activities.DeliverResult = async message =>
        {
            if (message.Event is TaskCompletedEvent && Interlocked.Exchange(ref held, 1) == 0)
            {
                await meanwhile(message);
            }

            await deliver(message);
        };

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountThenRead", "", cancellation: TestTimeout.Token());
        return (id, () => Volatile.Read(ref held) == 1);
    }

    /// <summary>The worker connects its result delivery once storage is ready; the test wraps it after that.</summary>
    private static async Task<Func<TaskMessage, Task>> WaitForDeliveryAsync(ActivityDispatcher activities)
    {
        var deadline = TestTimeout.Token();
        while (activities.DeliverResult is null)
        {
            await Task.Delay(10, deadline);
        }

        return activities.DeliverResult;
    }
}
