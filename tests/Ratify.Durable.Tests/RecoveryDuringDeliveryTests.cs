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
    public async Task An_activity_whose_result_is_being_delivered_is_not_run_again_by_recovery()
    {
        // One activity slot: a second run of Count would take it before Read, so Read sees every run of Count.
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), r =>
        {
            r.AddActivityFunc<string, int>("Count", (ctx, _) => Runs.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1));
            r.AddActivityFunc<string, int>("Read", (ctx, _) => Runs.GetValueOrDefault(ctx.InstanceId));
            r.AddOrchestratorFunc<string, int>("CountThenRead", async (ctx, _) =>
            {
                await ctx.CallActivityAsync<int>("Count", "");
                return await ctx.CallActivityAsync<int>("Read", "");
            });
        }, o => o.MaxConcurrentActivityFunctions = 1);
        var activities = host.Services.GetRequiredService<ActivityDispatcher>();
        var history = host.Services.GetRequiredService<HistoryStore>();
        var deliver = await WaitForDeliveryAsync(activities);
        var claimed = 0;
        activities.DeliverResult = async message =>
        {
            if (message.Event is TaskCompletedEvent && Interlocked.Exchange(ref claimed, 1) == 0)
            {
                // Another loader takes the instance while the first result is on its way: the episode that
                // brings the result fails its commit and recovers from storage, where the activity is still open.
                var snapshot = await history.LoadAsync(message.InstanceId);
                await history.ClaimAsync(message.InstanceId, snapshot!.ETag);
            }

            await deliver(message);
        };

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountThenRead", "", cancellation: TestTimeout.Token());
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, claimed);
        Assert.Equal(1, done.ReadOutputAs<int>());
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
