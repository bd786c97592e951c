using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ClientTests(AzuriteFixture azurite)
{
    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string, string>("Echo", (_, s) => Task.FromResult(s));
        r.AddOrchestratorFunc<string, string>("WaitForGo", async (ctx, _) =>
        {
            ctx.SetCustomStatus(new { stage = "waiting" });
            var value = await ctx.WaitForExternalEvent<string>("Go");
            return await ctx.CallActivityAsync<string>("Echo", value);
        });
        r.AddOrchestratorFunc<string, string>("Quick", (_, input) => Task.FromResult(input));
    }

    [Fact]
    public async Task Terminate_stops_a_running_instance_with_the_reason_as_output()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "", cancellation: TestTimeout.Token());
        await host.Client.WaitForInstanceStartAsync(id, cancellation: TestTimeout.Token());

        await host.Client.TerminateInstanceAsync(id, "no longer needed", TestTimeout.Token());
        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("no longer needed", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_suspended_instance_keeps_its_events_until_it_is_resumed()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "", cancellation: TestTimeout.Token());
        await host.Client.WaitForInstanceStartAsync(id, cancellation: TestTimeout.Token());

        await host.Client.SuspendInstanceAsync(id, "hold", TestTimeout.Token());
        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Go", "later", TestTimeout.Token());
        var history = await RetryAndFailureTests.WaitForHistoryAsync(host.Client, id, h => h.OfType<EventRaisedEvent>().Any());
        var suspended = await host.Client.GetInstanceAsync(id, cancellation: TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, suspended!.RuntimeStatus);
        Assert.Empty(history.OfType<TaskScheduledEvent>());

        await host.Client.ResumeInstanceAsync(id, "go on", TestTimeout.Token());
        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());
        Assert.Equal("later", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Starting_an_instance_id_that_is_running_is_a_conflict_and_a_finished_one_restarts()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", null, new StartOrchestrationOptions("run-1"), TestTimeout.Token());

        var conflict = await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", null, new StartOrchestrationOptions("run-1"), TestTimeout.Token()));
        Assert.Contains("'run-1'", conflict.Message, StringComparison.Ordinal);

        await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "one", new StartOrchestrationOptions("quick-1"), TestTimeout.Token());
        await host.Client.WaitForInstanceCompletionAsync("quick-1", cancellation: TestTimeout.Token());
        await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "two", new StartOrchestrationOptions("quick-1"), TestTimeout.Token());
        await RetryAndFailureTests.WaitForHistoryAsync(host.Client, "quick-1", h => h.OfType<ExecutionCompletedEvent>().Any() && h.OfType<ExecutionStartedEvent>().Single().Input == "\"two\"");
    }

    [Fact]
    public async Task A_finished_instance_started_again_keeps_every_earlier_executions_history_rows_untouched()
    {
        var hub = TestNames.NewHub();
        var history = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient(hub + "History");
        Dictionary<string, Azure.ETag> first;
        await using (var host = await TestWorkerHost.StartAsync(azurite, hub, Register))
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "one", new StartOrchestrationOptions("keep-1"), TestTimeout.Token());
            await host.Client.WaitForInstanceCompletionAsync("keep-1", cancellation: TestTimeout.Token());
            first = await EventRowsAsync(history, "keep-1");
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "two", new StartOrchestrationOptions("keep-1"), TestTimeout.Token());
            await RetryAndFailureTests.WaitForHistoryAsync(host.Client, "keep-1", h => h.OfType<ExecutionCompletedEvent>().Any() && h.OfType<ExecutionStartedEvent>().Single().Input == "\"two\"");
        }

        // A new host reads the state from storage (no cache): the kept executions must not look like garbage to it.
        await using (var host = await TestWorkerHost.StartAsync(azurite, hub, Register))
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "three", new StartOrchestrationOptions("keep-1"), TestTimeout.Token());
            await RetryAndFailureTests.WaitForHistoryAsync(host.Client, "keep-1", h => h.OfType<ExecutionCompletedEvent>().Any() && h.OfType<ExecutionStartedEvent>().Single().Input == "\"three\"");
        }

        var after = await EventRowsAsync(history, "keep-1");
        Assert.All(first, row => Assert.Equal(row.Value, after[row.Key])); // same ETag: never rewritten
        Assert.Equal(3, after.Keys.Select(k => k[..k.LastIndexOf('-')]).Distinct().Count());
    }

    private static async Task<Dictionary<string, Azure.ETag>> EventRowsAsync(Azure.Data.Tables.TableClient table, string instanceId)
    {
        var rows = new Dictionary<string, Azure.ETag>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>($"PartitionKey eq '{instanceId}' and RowKey ne 'state'", cancellationToken: TestTimeout.Token()))
        {
            rows[row.RowKey] = row.ETag;
        }

        return rows;
    }

    [Fact]
    public async Task Custom_status_is_visible_to_clients()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "", cancellation: TestTimeout.Token());

        await RetryAndFailureTests.WaitUntilAsync(host.Client, id, m => m.SerializedCustomStatus is not null);
        var metadata = await host.Client.GetInstanceAsync(id, cancellation: TestTimeout.Token());

        Assert.Equal("{\"stage\":\"waiting\"}", metadata!.SerializedCustomStatus);
    }

    [Fact]
    public async Task Queries_filter_by_status_instance_id_prefix_and_created_time_and_page_with_a_continuation_token()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var quick = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            quick.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", $"q{i}", cancellation: TestTimeout.Token()));
        }

        var waiting = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "", new StartOrchestrationOptions("waiting-" + Guid.NewGuid().ToString("N")), TestTimeout.Token());
        foreach (var id in quick)
        {
            await host.Client.WaitForInstanceCompletionAsync(id, cancellation: TestTimeout.Token());
        }

        await host.Client.WaitForInstanceStartAsync(waiting, cancellation: TestTimeout.Token());

        var completed = await ReadAllAsync(host.Client, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 2 });
        var running = await ReadAllAsync(host.Client, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] });
        var byPrefix = await ReadAllAsync(host.Client, new OrchestrationQuery { InstanceIdPrefix = "waiting-" });
        var inWindow = await ReadAllAsync(host.Client, new OrchestrationQuery { CreatedFrom = before, CreatedTo = DateTimeOffset.UtcNow.AddSeconds(1) });
        var future = await ReadAllAsync(host.Client, new OrchestrationQuery { CreatedFrom = DateTimeOffset.UtcNow.AddHours(1) });
        var firstPage = await FirstPageAsync(host.Client, new OrchestrationQuery { PageSize = 2 });

        Assert.Equal(quick.Order(), completed.Order());
        Assert.Equal([waiting], running);
        Assert.Equal([waiting], byPrefix);
        Assert.Equal(6, inWindow.Count);
        Assert.Empty(future);
        Assert.Equal(2, firstPage.Values.Count);
        Assert.NotNull(firstPage.ContinuationToken);
    }

    [Fact]
    public async Task Purge_deletes_a_finished_instance_and_leaves_a_running_one()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var finished = await host.Client.ScheduleNewOrchestrationInstanceAsync("Quick", "x", cancellation: TestTimeout.Token());
        var running = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitForGo", "", cancellation: TestTimeout.Token());
        await host.Client.WaitForInstanceCompletionAsync(finished, cancellation: TestTimeout.Token());
        await host.Client.WaitForInstanceStartAsync(running, cancellation: TestTimeout.Token());

        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(finished, TestTimeout.Token())).PurgedInstanceCount);
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(running, TestTimeout.Token())).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(finished, cancellation: TestTimeout.Token()));
        Assert.NotNull(await host.Client.GetInstanceAsync(running, cancellation: TestTimeout.Token()));
    }

    private static async Task<List<string>> ReadAllAsync(DurableTaskClient client, OrchestrationQuery query)
    {
        var ids = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(TestTimeout.Token()))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }

    private static async Task<Page<OrchestrationMetadata>> FirstPageAsync(DurableTaskClient client, OrchestrationQuery query)
    {
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages().WithCancellation(TestTimeout.Token()))
        {
            return page;
        }

        throw new InvalidOperationException("The query returned no page.");
    }
}
