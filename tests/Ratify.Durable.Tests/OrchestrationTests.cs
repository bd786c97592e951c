using DurableTask.Core.History;
using Microsoft.DurableTask.Converters;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class OrchestrationTests(AzuriteFixture azurite)
{
    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string, string>("Hello", (_, name) => Task.FromResult($"Hello, {name}!"));
        r.AddActivityFunc<int, int>("Square", (_, n) => Task.FromResult(n * n));
        r.AddActivityFunc<string, string>("Echo", (_, s) => Task.FromResult(s));
        r.AddOrchestratorFunc<string, string[]>("Chain", async (ctx, name) =>
        [
            await ctx.CallActivityAsync<string>("Hello", name + "1"),
            await ctx.CallActivityAsync<string>("Hello", name + "2"),
            await ctx.CallActivityAsync<string>("Hello", name + "3"),
        ]);
        r.AddOrchestratorFunc<int, int>("FanOut", async (ctx, count) =>
        {
            var squares = await Task.WhenAll(Enumerable.Range(1, count).Select(i => ctx.CallActivityAsync<int>("Square", i)));
            return squares.Sum();
        });
        r.AddOrchestratorFunc<string, string>("FirstOfTwo", async (ctx, _) =>
        {
            using var cancel = new CancellationTokenSource();
            var timer = ctx.CreateTimer(TimeSpan.FromMinutes(10), cancel.Token);
            var echo = ctx.CallActivityAsync<string>("Echo", "fast");
            var winner = await Task.WhenAny(timer, echo);
            cancel.Cancel();
            return winner == echo ? await echo : "timer";
        });
        r.AddOrchestratorFunc<string, string>("Deterministic", async (ctx, _) =>
        {
            var guid = ctx.NewGuid().ToString();
            var time = ctx.CurrentUtcDateTime.ToString("O");
            var echoed = await ctx.CallActivityAsync<string>("Echo", guid + "|" + time);
            return echoed == guid + "|" + time ? "same" : "different: " + echoed + " vs " + guid + "|" + time;
        });
        r.AddOrchestratorFunc<string, string>("Big", async (ctx, payload) => await ctx.CallActivityAsync<string>("Echo", payload));
        r.AddOrchestratorFunc<int, int>("Counter", (ctx, n) =>
        {
            if (n < 5)
            {
                ctx.ContinueAsNew(n + 1);
            }

            return Task.FromResult(n);
        });
    }

    [Fact]
    public async Task Sequential_activities_complete_in_order_with_their_results()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", "x", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello, x1!", "Hello, x2!", "Hello, x3!"], done.ReadOutputAs<string[]>()!);
    }

    [Fact]
    public async Task A_fan_out_of_100_activities_fans_in_every_result()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 100).Sum(i => i * i), done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task WhenAny_returns_the_first_task_to_finish()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("FirstOfTwo", "", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("fast", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task NewGuid_and_CurrentUtcDateTime_are_the_same_on_replay()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Deterministic", "", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("same", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_one_megabyte_payload_round_trips_through_queues_history_and_the_instance_table()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var payload = string.Concat(Enumerable.Range(0, 1024 * 1024 / 16).Select(i => $"{i:D15}|"));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Big", payload, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token(60));
        var history = await host.Client.GetOrchestrationHistoryAsync(id, TestTimeout.Token());

        Assert.Equal(payload, done.ReadOutputAs<string>());
        Assert.Equal(payload, done.ReadInputAs<string>());
        Assert.Equal(payload, JsonDataConverter.Default.Deserialize<string>(history.OfType<TaskCompletedEvent>().Single().Result));
    }

    [Fact]
    public async Task ContinueAsNew_restarts_with_new_input_and_keeps_only_the_last_history()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());
        var history = await host.Client.GetOrchestrationHistoryAsync(id, TestTimeout.Token());

        Assert.True(5 == done.ReadOutputAs<int>(), string.Join("\n", history.Select(e => e.EventType)));
        Assert.Single(history.OfType<ExecutionStartedEvent>());
        Assert.Equal("5", history.OfType<ExecutionStartedEvent>().Single().Input);
    }

    [Fact]
    public async Task History_records_each_scheduled_activity_and_its_single_result()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", "h", cancellation: TestTimeout.Token());
        await host.Client.WaitForInstanceCompletionAsync(id, cancellation: TestTimeout.Token());

        var history = await host.Client.GetOrchestrationHistoryAsync(id, TestTimeout.Token());

        Assert.Equal([0, 1, 2], history.OfType<TaskScheduledEvent>().Select(e => e.EventId));
        Assert.Equal([0, 1, 2], history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId));
        Assert.IsType<ExecutionStartedEvent>(history.First(e => e is not OrchestratorStartedEvent));
        Assert.IsType<ExecutionCompletedEvent>(history[^1]);
    }
}
