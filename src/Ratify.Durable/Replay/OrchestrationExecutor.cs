using Microsoft.Extensions.Logging;
using Ratify.Durable.Actions;
using Ratify.Durable.History;
using Ratify.Durable.Worker;
using NonDeterministicOrchestrationException = DurableTask.Core.Exceptions.NonDeterministicOrchestrationException;

namespace Ratify.Durable.Replay;

/// <summary>Replays an orchestrator over its past events, then runs it over the new ones, and collects what it did.</summary>
/// <remarks>
/// Phase one feeds the committed history with <c>IsReplaying = true</c> and checks every recorded
/// scheduling event against what the code schedules again; phase two feeds the new events.
/// A mismatch fails the execution with <see cref="NonDeterministicOrchestrationException"/>.
/// </remarks>
internal sealed class OrchestrationExecutor(RegisteredTasks tasks, IServiceProvider services, ILoggerFactory loggerFactory)
{
    public OrchestrationResult Execute(string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents) =>
        Execute(instanceId, past, newEvents, out _);

    /// <summary>Replays <paramref name="past"/>, runs <paramref name="newEvents"/>, and hands back the live orchestrator.</summary>
    /// <param name="runner">The orchestrator, still in memory, for <see cref="Continue"/>; null once it has finished.</param>
    public OrchestrationResult Execute(string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents, out OrchestrationRunner? runner)
    {
        runner = null;
        if (Terminated(newEvents) is { } terminated)
        {
            return terminated;
        }

        var live = new OrchestrationRunner(CreateOrchestrator, tasks.Converter, new ReplayOrchestrationContext(instanceId, tasks.Converter, loggerFactory));
        var result = Run(live, past, newEvents);
        runner = result.Completion is null ? live : null;
        return result;
    }

    /// <summary>Feeds only <paramref name="newEvents"/> to an orchestrator kept in memory since its last committed episode.</summary>
    /// <remarks>This is what keeps the cost of a step flat as the history grows (Durable Functions' extended sessions).</remarks>
    public OrchestrationResult Continue(OrchestrationRunner runner, IReadOnlyList<HistoryEvent> newEvents) =>
        Terminated(newEvents) ?? Run(runner, [], newEvents);

    private static OrchestrationResult? Terminated(IReadOnlyList<HistoryEvent> newEvents)
    {
        var terminated = newEvents.OfType<ExecutionTerminatedEvent>().FirstOrDefault();

        // Nothing the orchestrator would do matters any more.
        return terminated is null ? null : new OrchestrationResult([], Complete(OrchestrationRuntimeStatus.Terminated, terminated.Reason), null);
    }

    private OrchestrationResult Run(OrchestrationRunner runner, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents)
    {
        var context = runner.Context;
        try
        {
            context.RunOnOrchestratorThread(() =>
            {
                context.SetReplaying(true);
                runner.Apply(past);
                context.SetReplaying(false);
                runner.Apply(newEvents);
            });
        }
        catch (NonDeterministicOrchestrationException e)
        {
            return new OrchestrationResult([], Fail(e), context.CustomStatus);
        }

        var completion = runner.Completion ?? CompletionOf(runner.Run, context);
        var actions = completion?.Status is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatusExtensions.ContinuedAsNew
            ? []
            : context.UnmatchedActions;
        return new OrchestrationResult(actions, completion, context.CustomStatus);
    }

    private ITaskOrchestrator? CreateOrchestrator(string name) => tasks.CreateOrchestrator(name, services);

    private CompleteOrchestrationAction? CompletionOf(Task<object?>? run, ReplayOrchestrationContext context)
    {
        if (run is null || !run.IsCompleted)
        {
            return null;
        }

        if (run.IsFaulted)
        {
            return Fail(run.Exception.InnerException ?? run.Exception);
        }

        if (run.IsCanceled)
        {
            return Fail(new TaskCanceledException("The orchestrator's task was canceled."));
        }

        if (context.ContinueAsNewRequested)
        {
            var carryover = context.PreserveUnprocessedEvents ? context.BufferedEvents : [];
            return new CompleteOrchestrationAction(OrchestrationRuntimeStatusExtensions.ContinuedAsNew, context.ContinueAsNewInput, null, carryover);
        }

        return Complete(OrchestrationRuntimeStatus.Completed, tasks.Converter.Serialize(run.Result));
    }

    internal static CompleteOrchestrationAction Complete(OrchestrationRuntimeStatus status, string? result) =>
        new(status, result, null, []);

    internal static CompleteOrchestrationAction Fail(Exception e) =>
        new(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(e), []);
}
