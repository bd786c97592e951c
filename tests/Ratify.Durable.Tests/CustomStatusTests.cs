using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class CustomStatusTests(AzuriteFixture azurite)
{
    /// <summary>An orchestration that sets "one", waits for Next, sets "two", and ends on Done.</summary>
    internal static void Register(DurableTaskRegistry r) =>
        r.AddOrchestratorFunc<string, string>("Stages", async (ctx, _) =>
        {
            ctx.SetCustomStatus("one");
            await ctx.WaitForExternalEvent<string>("Next");
            ctx.SetCustomStatus("two");
            return await ctx.WaitForExternalEvent<string>("Done");
        });

    [Fact]
    public async Task A_custom_status_changed_while_running_is_read_from_the_history_without_rewriting_the_instances_row()
    {
        var hub = TestNames.NewHub();
        var instancesTable = new TableServiceClient(azurite.ConnectionString).GetTableClient(hub + "Instances");
        await using var host = await TestWorkerHost.StartAsync(azurite, hub, Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Stages", "", cancellation: TestTimeout.Token());
        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.SerializedCustomStatus == "\"one\"");
        var running = (await instancesTable.GetEntityAsync<TableEntity>(id, string.Empty, cancellationToken: TestTimeout.Token())).Value;

        await host.Client.RaiseEventAsync(id, "Next", "", TestTimeout.Token());
        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.SerializedCustomStatus == "\"two\"");
        var metadata = await host.Client.GetInstanceAsync(id, cancellation: TestTimeout.Token());
        var unchanged = (await instancesTable.GetEntityAsync<TableEntity>(id, string.Empty, cancellationToken: TestTimeout.Token())).Value;

        Assert.Equal(OrchestrationRuntimeStatus.Running, metadata!.RuntimeStatus);
        Assert.True(metadata.LastUpdatedAt >= new DateTimeOffset(running.GetDateTime("LastUpdatedTime")!.Value, TimeSpan.Zero));
        Assert.Equal(running.ETag, unchanged.ETag); // an episode that changes only the custom status costs no Instances write

        await host.Client.RaiseEventAsync(id, "Done", "ok", TestTimeout.Token());
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("\"two\"", done.SerializedCustomStatus);
        Assert.Equal("ok", done.ReadOutputAs<string>());
        await foreach (var queried in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = id }).WithCancellation(TestTimeout.Token()))
        {
            Assert.Equal("\"two\"", queried.SerializedCustomStatus); // the final status change writes the last custom status for queries
        }
    }
}
