using Microsoft.Extensions.DependencyInjection;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class DuplicateResultTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_redelivered_activity_result_is_dropped_and_recorded_once()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), r =>
        {
            r.AddActivityFunc<string, string>("Echo", (_, s) => Task.FromResult(s));
            r.AddOrchestratorFunc<string, string>("EchoThenWait", async (ctx, _) =>
            {
                var echoed = await ctx.CallActivityAsync<string>("Echo", "once");
                return echoed + await ctx.WaitForExternalEvent<string>("Go");
            });
        });
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("EchoThenWait", "", cancellation: TestTimeout.Token());
        var started = await RetryAndFailureTests.WaitForHistoryAsync(host.Client, id, h => h.OfType<DurableTask.Core.History.TaskCompletedEvent>().Any());
        var executionId = started.OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().OrchestrationInstance.ExecutionId;

        // The same result again, as a redelivered queue message would bring it.
        var queues = host.Services.GetRequiredService<MessageQueues>();
        await queues.SendControlAsync(TaskMessage.For(id, executionId, new TaskCompletedEvent(-1, DateTime.UtcNow, 0, "\"twice\"")));
        await host.Client.RaiseEventAsync(id, "Go", "!", TestTimeout.Token());
        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());
        var history = await host.Client.GetOrchestrationHistoryAsync(id, TestTimeout.Token());

        Assert.Equal("once!", done.ReadOutputAs<string>());
        Assert.Single(history.OfType<DurableTask.Core.History.TaskCompletedEvent>());
    }
}
