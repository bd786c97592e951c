using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Tests.Worker;
using Ratify.Durable.Worker;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

/// <summary>Taking a partition recovers each unfinished instance once: work dispatched here since is not sent again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PartitionTakeoverTests(AzuriteFixture azurite)
{
    private static readonly ConcurrentDictionary<string, int> Runs = new();
    private static readonly TaskCompletionSource BlockStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TaskCompletionSource BlockReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task An_instance_processed_after_the_takeover_is_not_recovered_again_by_the_partition_sweep()
    {
        var timeout = TestTimeout.Token();
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register, o =>
        {
            // Every activity goes through the work-item queue, where a second dispatch is a second run.
            o.StorageProvider.PartitionCount = 1;
            o.StorageProvider.LocalActivityExecution = false;
            o.MaxConcurrentActivityFunctions = 1;
        }, services: s => s.AddSingleton<IPartitionManager>(sp => new ManualPartitionManager(sp.GetRequiredService<PartitionFence>())));
        var partitions = (ManualPartitionManager)host.Services.GetRequiredService<IPartitionManager>();
        var dispatcher = host.Services.GetRequiredService<OrchestrationDispatcher>();
        var account = host.Services.GetRequiredService<StorageAccount>();

        // The only activity slot is busy, so Count waits in the work-item queue where recovery could send it again.
        await WaitForStorageAsync(account, timeout);
        await host.Services.GetRequiredService<MessageQueues>().SendWorkItemAsync(
            TaskMessage.For("blocker-" + Guid.NewGuid().ToString("N"), "e", new TaskScheduledEvent(0, DateTime.UtcNow, "Block", null)));
        await BlockStarted.Task.WaitAsync(timeout);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountThenRead", "", cancellation: timeout);

        // The sweep of the taken partition lists its instances only after the instance's first episode sent Count.
        dispatcher.SweepStarting = _ => WaitForQueuedWorkAsync(account, timeout);
        await partitions.TakeAsync(0, timeout);
        await dispatcher.SweptAsync(0).WaitAsync(timeout);

        // An episode after the sweep's: any recovery the sweep asked for has dispatched by the time this event is recorded.
        await host.Client.RaiseEventAsync(id, "Nudge", "", timeout);
        await RetryAndFailureTests.WaitForHistoryAsync(host.Client, id, h => h.OfType<DurableTask.Core.History.EventRaisedEvent>().Any());
        BlockReleased.TrySetResult();
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task A_partition_taken_again_while_served_keeps_its_loop_and_its_finished_sweep()
    {
        var timeout = TestTimeout.Token();
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register, o => o.StorageProvider.PartitionCount = 1,
            services: s => s.AddSingleton<IPartitionManager>(sp => new ManualPartitionManager(sp.GetRequiredService<PartitionFence>())));
        var partitions = (ManualPartitionManager)host.Services.GetRequiredService<IPartitionManager>();
        var dispatcher = host.Services.GetRequiredService<OrchestrationDispatcher>();
        await partitions.TakeAsync(0, timeout);
        await dispatcher.SweptAsync(0).WaitAsync(timeout);

        await partitions.TakeAsync(0, timeout);

        // A second take-over would have replaced the finished sweep with one that never runs.
        Assert.True(dispatcher.SweptAsync(0).IsCompleted);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountThenRead", "", cancellation: timeout);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    // One activity slot: a second Count, queued before Read is scheduled, runs before Read, so Read sees it.
    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string?, int>("Block", async (_, _) =>
        {
            BlockStarted.TrySetResult();
            await BlockReleased.Task;
            return 0;
        });
        r.AddActivityFunc<string, int>("Count", (ctx, _) => Runs.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1));
        r.AddActivityFunc<string, int>("Read", (ctx, _) => Runs.GetValueOrDefault(ctx.InstanceId));
        r.AddOrchestratorFunc<string, int>("CountThenRead", async (ctx, _) =>
        {
            await ctx.CallActivityAsync<int>("Count", "");
            return await ctx.CallActivityAsync<int>("Read", "");
        });
    }

    private static async Task WaitForStorageAsync(StorageAccount account, CancellationToken timeout)
    {
        while (!(await account.WorkItemQueue.ExistsAsync(timeout)).Value)
        {
            await Task.Delay(20, timeout);
        }
    }

    private static async Task WaitForQueuedWorkAsync(StorageAccount account, CancellationToken timeout)
    {
        while ((await account.WorkItemQueue.PeekMessagesAsync(1, timeout)).Value.Length == 0)
        {
            await Task.Delay(20, timeout);
        }
    }
}
