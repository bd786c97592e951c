using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class EventAndTimerTests(AzuriteFixture azurite)
{
    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string, string>("Echo", (_, s) => Task.FromResult(s));
        r.AddOrchestratorFunc<string, string>("WaitLater", async (ctx, _) =>
        {
            // The event is raised while this activity runs, before the wait begins.
            await ctx.CallActivityAsync<string>("Echo", "first");
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(300), CancellationToken.None);
            return await ctx.WaitForExternalEvent<string>("Approval");
        });
        r.AddOrchestratorFunc<string, string>("WaitWithTimeout", async (ctx, _) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("Never", TimeSpan.FromMilliseconds(200));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        });
        r.AddOrchestratorFunc<int, string>("Sleep", async (ctx, seconds) =>
        {
            await ctx.CreateTimer(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return "woke";
        });
        r.AddOrchestratorFunc<string, string>("WaitThenEcho", async (ctx, _) =>
        {
            var value = await ctx.WaitForExternalEvent<string>("Go");
            return await ctx.CallActivityAsync<string>("Echo", value + "!");
        });
    }

    [Fact]
    public async Task An_event_raised_before_the_wait_is_buffered_and_delivered()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitLater", "", cancellation: TestTimeout.Token());
        await host.Client.RaiseEventAsync(id, "Approval", "yes", TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("yes", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_wait_with_a_timeout_throws_when_no_event_comes()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitWithTimeout", "", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("timed out", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_timer_created_before_a_restart_fires_in_the_next_host()
    {
        var hub = TestNames.NewHub();
        string id;
        await using (var first = await TestWorkerHost.StartAsync(azurite, hub, Register))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Sleep", 2, cancellation: TestTimeout.Token());
            await first.Client.WaitForInstanceStartAsync(id, cancellation: TestTimeout.Token());
        }

        await using var second = await TestWorkerHost.StartAsync(azurite, hub, Register);
        var done = await second.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("woke", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_orchestration_survives_a_host_restart_with_its_state_read_from_storage()
    {
        var hub = TestNames.NewHub();
        string id;
        await using (var first = await TestWorkerHost.StartAsync(azurite, hub, Register))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("WaitThenEcho", "", cancellation: TestTimeout.Token());
            await first.Client.WaitForInstanceStartAsync(id, cancellation: TestTimeout.Token());
        }

        await using var second = await TestWorkerHost.StartAsync(azurite, hub, Register);
        await second.Client.RaiseEventAsync(id, "Go", "restarted", TestTimeout.Token());
        var done = await second.Client.WaitForInstanceCompletionAsync(id, true, TestTimeout.Token());

        Assert.Equal("restarted!", done.ReadOutputAs<string>());
    }
}
