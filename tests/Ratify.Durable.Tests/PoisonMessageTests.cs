using Microsoft.Extensions.DependencyInjection;
using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class PoisonMessageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_message_that_keeps_failing_is_set_aside_the_instance_fails_with_the_reason_and_others_go_on()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), r =>
        {
            // A worker that cannot build this orchestrator fails every episode of it, not the orchestration itself.
            r.AddOrchestrator("Unbuildable", () => throw new InvalidOperationException("a dependency is missing"));
            r.AddOrchestratorFunc<string, string>("Fine", (_, s) => Task.FromResult(s));
        }, o => o.StorageProvider.MaxDequeueCount = 2);

        var poisoned = await host.Client.ScheduleNewOrchestrationInstanceAsync("Unbuildable", cancellation: TestTimeout.Token());
        var healthy = await host.Client.ScheduleNewOrchestrationInstanceAsync("Fine", "ok", cancellation: TestTimeout.Token());

        var failed = await host.Client.WaitForInstanceCompletionAsync(poisoned, true, TestTimeout.Token());
        var fine = await host.Client.WaitForInstanceCompletionAsync(healthy, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("PoisonMessage", failed.FailureDetails!.ErrorType);
        Assert.Contains("poison queue", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("ok", fine.ReadOutputAs<string>());
        var poisonQueue = host.Services.GetRequiredService<StorageAccount>().PoisonQueue;
        var parked = await poisonQueue.PeekMessagesAsync(10, TestTimeout.Token());
        Assert.Contains(parked.Value, m => m.Body.ToString().Contains(poisoned, StringComparison.Ordinal));
    }
}
