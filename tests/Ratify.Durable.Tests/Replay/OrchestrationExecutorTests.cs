using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Durable.Actions;
using Ratify.Durable.History;
using Ratify.Durable.Replay;

namespace Ratify.Durable.Tests.Replay;

/// <summary>Replays recorded histories through the executor, without storage.</summary>
public sealed class OrchestrationExecutorTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static OrchestrationExecutor Executor()
    {
        var (tasks, services) = TestTasks.From(registry =>
        {
            registry.AddOrchestratorFunc<string, string>("TwoSteps", async (ctx, input) =>
            {
                var a = await ctx.CallActivityAsync<string>("A", input);
                var b = await ctx.CallActivityAsync<string>("B", a);
                return a + b;
            });
            registry.AddOrchestratorFunc<string, string>("OneStep", (ctx, input) => ctx.CallActivityAsync<string>("A", input));
            registry.AddOrchestratorFunc<string, string>("Sleepy", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                return "done";
            });
        });
        return new OrchestrationExecutor(tasks, services, NullLoggerFactory.Instance);
    }

    private static List<HistoryEvent> Recorded(string name) =>
    [
        new OrchestratorStartedEvent(-1, T0),
        new ExecutionStartedEvent(-1, T0, name, "\"x\"", "e1"),
        new TaskScheduledEvent(0, T0, "A", "\"x\""),
        new OrchestratorStartedEvent(-1, T0.AddSeconds(1)),
        new TaskCompletedEvent(-1, T0.AddSeconds(1), 0, "\"a\""),
        new TaskScheduledEvent(1, T0.AddSeconds(1), "B", "\"a\""),
    ];

    [Fact]
    public void Execute_RecordedHistoryWithNewResult_CompletesWithoutRescheduling()
    {
        var result = Executor().Execute("i1", Recorded("TwoSteps"), [new OrchestratorStartedEvent(-1, T0.AddSeconds(2)), new TaskCompletedEvent(-1, T0.AddSeconds(2), 1, "\"b\"")]);

        Assert.Empty(result.Actions);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.Completion!.Status);
        Assert.Equal("\"ab\"", result.Completion.Result);
    }

    [Fact]
    public void Execute_RecordedHistoryWithoutNewEvents_SchedulesNothingNew()
    {
        var result = Executor().Execute("i1", Recorded("TwoSteps"), []);

        Assert.Empty(result.Actions);
        Assert.Null(result.Completion);
    }

    [Fact]
    public void Execute_FirstEpisode_SchedulesTheFirstActivityWithTaskIdZero()
    {
        var result = Executor().Execute("i1", [], [new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "TwoSteps", "\"x\"", "e1")]);

        var action = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(result.Actions));
        Assert.Equal((0, "A", "\"x\""), (action.Id, action.Name, action.Input));
    }

    [Fact]
    public void Execute_HistoryFromOtherCode_FailsAsNonDeterministicNamingTheEvent()
    {
        var history = Recorded("TwoSteps");
        history[2] = new TaskScheduledEvent(0, T0, "Other", "\"x\"");

        var result = Executor().Execute("i1", history, []);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.Completion!.Status);
        Assert.Equal(typeof(DurableTask.Core.Exceptions.NonDeterministicOrchestrationException).FullName, result.Completion.FailureDetails!.ErrorType);
        Assert.Contains("activity 'Other' with task id 0", result.Completion.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_HistoryRecordsAnActivityTheCodeNoLongerSchedules_FailsAsNonDeterministicNamingIt()
    {
        // The recorded history scheduled 'B' at task id 1; the code now returns after 'A' and schedules nothing there.
        var result = Executor().Execute("i1", Recorded("OneStep"), []);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.Completion!.Status);
        Assert.Empty(result.Actions);
        Assert.Equal(typeof(DurableTask.Core.Exceptions.NonDeterministicOrchestrationException).FullName, result.Completion.FailureDetails!.ErrorType);
        Assert.Contains("activity 'B' with task id 1, but the replay did not", result.Completion.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_TimerRecordedWhereCodeNowCallsAnActivity_FailsAsNonDeterministic()
    {
        List<HistoryEvent> history =
        [
            new OrchestratorStartedEvent(-1, T0),
            new ExecutionStartedEvent(-1, T0, "TwoSteps", "\"x\"", "e1"),
            new TimerCreatedEvent(0, T0, T0.AddHours(1)),
        ];

        var result = Executor().Execute("i1", history, []);

        Assert.Contains("a durable timer with task id 0", result.Completion!.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_TimerUsesTheReplaySafeClock()
    {
        var result = Executor().Execute("i1", [], [new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "Sleepy", null, "e1")]);

        var timer = Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(result.Actions));
        Assert.Equal(T0.AddHours(1), timer.FireAt);
    }

    [Fact]
    public void Execute_Terminated_CompletesAsTerminatedWithoutRunningTheCode()
    {
        var result = Executor().Execute("i1", Recorded("Unknown"), [new ExecutionTerminatedEvent(-1, T0, "\"stop\"")]);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, result.Completion!.Status);
        Assert.Equal("\"stop\"", result.Completion.Result);
    }

    [Fact]
    public void Execute_UnknownOrchestrator_FailsWithItsName()
    {
        var result = Executor().Execute("i1", [], [new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "Missing", null, "e1")]);

        Assert.Contains("'Missing'", result.Completion!.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Continue_KeptOrchestrator_MatchesAFullReplayStepByStep()
    {
        var executor = Executor();
        var first = executor.Execute("i1", [], [new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "TwoSteps", "\"x\"", "e1")], out var runner);
        runner!.MarkRecorded();

        var second = executor.Continue(runner, [new OrchestratorStartedEvent(-1, T0.AddSeconds(1)), new TaskCompletedEvent(-1, T0.AddSeconds(1), 0, "\"a\"")]);
        runner.MarkRecorded();
        var third = executor.Continue(runner, [new OrchestratorStartedEvent(-1, T0.AddSeconds(2)), new TaskCompletedEvent(-1, T0.AddSeconds(2), 1, "\"b\"")]);

        Assert.Equal("A", Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(first.Actions)).Name);
        var b = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(second.Actions));
        Assert.Equal((1, "B"), (b.Id, b.Name));
        Assert.Empty(third.Actions);
        Assert.Equal("\"ab\"", third.Completion!.Result);
    }
}
