using System.Collections.Concurrent;
using Microsoft.DurableTask.Entities;
using Ratify.Testing;

namespace Ratify.Durable.Tests.Sdk;

/// <summary>Where Microsoft's abstraction defines a behaviour, this backend matches it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SdkBehaviourTests(AzuriteFixture azurite)
{
    private static readonly ConcurrentDictionary<string, int> Calls = new();

    private static void Register(DurableTaskRegistry r)
    {
        r.AddActivityFunc<string, string>("Flaky", (ctx, failures) =>
        {
            var call = Calls.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
            return call <= int.Parse(failures, System.Globalization.CultureInfo.InvariantCulture)
                ? throw new InvalidOperationException($"call {call} failed")
                : $"ok after {call}";
        });
        r.AddOrchestratorFunc<string, string>("WithHandler", async (ctx, failures) =>
        {
            var seen = new List<int>();
            var result = await ctx.CallActivityAsync<string>("Flaky", failures, TaskOptions.FromRetryHandler(retry =>
            {
                seen.Add(retry.LastAttemptNumber);
                return retry.LastAttemptNumber < 3 && retry.LastFailure.IsCausedBy<InvalidOperationException>();
            }));
            return $"{result} [{string.Join(",", seen)}]";
        });
        r.AddOrchestratorFunc<string, string>("CatchFailure", async (ctx, failures) =>
        {
            var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(50)) { HandleFailure = f => !f.IsCausedBy<InvalidOperationException>() };
            try
            {
                return await ctx.CallActivityAsync<string>("Flaky", failures, TaskOptions.FromRetryPolicy(policy));
            }
            catch (TaskFailedException e)
            {
                return $"{e.TaskName}: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage} ({e.FailureDetails.IsCausedBy<InvalidOperationException>()})";
            }
        });
        r.AddOrchestratorFunc<string>("SubOrchestration", ctx => ctx.CallSubOrchestratorAsync<string>("CatchFailure", "0"));
        r.AddOrchestratorFunc<string>("SendsEvent", ctx =>
        {
            ctx.SendEvent("elsewhere", "Go", "x");
            return Task.FromResult("sent");
        });
        r.AddOrchestratorFunc<string>("UsesEntities", ctx => ctx.Entities.CallEntityAsync<string>(new EntityInstanceId("counter", "a"), "get"));
    }

    [Fact]
    public async Task A_retry_handler_sees_each_failure_and_decides()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WithHandler", "2", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.Equal("ok after 3 [1,2]", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failed_activity_reaches_the_orchestrator_as_TaskFailedException_with_its_failure_details()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CatchFailure", "9", cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        // HandleFailure refused the retry, so the activity ran once.
        Assert.Equal("Flaky: System.InvalidOperationException: call 1 failed (True)", done.ReadOutputAs<string>());
    }

    [Theory]
    [InlineData("SubOrchestration", "Sub-orchestrations")]
    [InlineData("SendsEvent", "SendEvent")]
    [InlineData("UsesEntities", "entities")]
    public async Task What_this_backend_does_not_support_fails_at_once_naming_it(string orchestrator, string named)
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.True(done.FailureDetails!.IsCausedBy<NotSupportedException>(), done.FailureDetails.ToString());
        Assert.Contains(named, done.FailureDetails.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_client_refuses_entity_operations()
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);

        Assert.Throws<NotSupportedException>(() => host.Client.Entities);
    }
}
