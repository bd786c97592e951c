using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StatusReadTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_status_call_reads_one_row_and_shows_the_latest_committed_custom_status()
    {
        var hub = TestNames.NewHub();
        await using var host = await TestWorkerHost.StartAsync(azurite, hub, CustomStatusTests.Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Stages", "in", cancellation: TestTimeout.Token());
        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.SerializedCustomStatus == "\"one\"");
        await host.Client.RaiseEventAsync(id, "Next", "", TestTimeout.Token());
        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.SerializedCustomStatus == "\"two\"");

        // This process's worker committed the episodes: its client reads the history's state row alone.
        var (running, runningReads) = await StorageRequestCounter.CountAsync(() => host.Client.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        var (withInput, withInputReads) = await StorageRequestCounter.CountAsync(() => host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, TestTimeout.Token()));

        Assert.Equal((OrchestrationRuntimeStatus.Running, "\"two\"", 1), (running!.RuntimeStatus, running.SerializedCustomStatus, runningReads));
        Assert.Equal((OrchestrationRuntimeStatus.Running, "\"two\"", "\"in\"", 2), (withInput!.RuntimeStatus, withInput.SerializedCustomStatus, withInput.SerializedInput, withInputReads));
        Assert.Equal(running.CreatedAt, withInput.CreatedAt);

        // A client in another process has no hint: the Instances row first, then the state row; from then on the state row alone.
        await using var other = await ClientOnlyAsync(hub);
        Assert.Null(await other.GetInstanceAsync("absent", TestTimeout.Token())); // its first call also makes sure the hub exists: not counted
        var (_, firstReads) = await StorageRequestCounter.CountAsync(() => other.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        var (again, againReads) = await StorageRequestCounter.CountAsync(() => other.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        Assert.Equal((2, 1, "\"two\""), (firstReads, againReads, again!.SerializedCustomStatus));

        await host.Client.RaiseEventAsync(id, "Done", "ok", TestTimeout.Token());
        await host.Client.WaitForInstanceCompletionAsync(id, cancellation: TestTimeout.Token());

        // Finished: the Instances row alone, written last with the final custom status; the other client's stale hint costs one read more, once.
        var (done, doneReads) = await StorageRequestCounter.CountAsync(() => host.Client.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        var (seen, staleReads) = await StorageRequestCounter.CountAsync(() => other.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        var (_, laterReads) = await StorageRequestCounter.CountAsync(() => other.GetInstanceAsync(id, cancellation: TestTimeout.Token()));
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "\"two\"", 1), (done!.RuntimeStatus, done.SerializedCustomStatus, doneReads));
        Assert.Equal((OrchestrationRuntimeStatus.Completed, 2, 1), (seen!.RuntimeStatus, staleReads, laterReads));
    }

    private async Task<ClientOnly> ClientOnlyAsync(string hub)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDurableTaskClient(client => client.UseAzureStorage(o =>
        {
            o.HubName = hub;
            o.StorageConnectionString = azurite.ConnectionString;
        }));
        var host = builder.Build();
        await host.StartAsync(TestTimeout.Token());
        return new ClientOnly(host);
    }

    private sealed class ClientOnly(IHost host) : IAsyncDisposable
    {
        public Task<OrchestrationMetadata?> GetInstanceAsync(string id, CancellationToken cancellation) =>
            host.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id, cancellation: cancellation);

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
