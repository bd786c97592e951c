using Microsoft.Extensions.Logging;
using Ratify.Durable.Actions;
using Ratify.Durable.History;

namespace Ratify.Durable.Replay;

/// <summary>Replays an orchestrator over its past events, then runs it over the new ones, and collects what it did.</summary>
/// <remarks>
/// Phase one feeds the committed history with <c>IsReplaying = true</c> and checks every recorded
/// scheduling event against what the code schedules again; phase two feeds the new events.
/// A mismatch fails the execution with <see cref="NonDeterministicOrchestrationException"/>.
/// </remarks>
internal sealed class OrchestrationExecutor(DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory loggerFactory)
{
    public OrchestrationResult Execute(string instanceId, IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> newEvents)
    {
        var terminated = newEvents.OfType<ExecutionTerminatedEvent>().FirstOrDefault();
        if (terminated is not null)
        {
            // Nothing the orchestrator would do matters any more.
            return new OrchestrationResult([], Complete(OrchestrationRuntimeStatus.Terminated, terminated.Reason), null);
        }

        var context = new ReplayOrchestrationContext(instanceId, loggerFactory);
        var episode = new Episode(CreateOrchestrator, context);
        try
        {
            context.RunOnOrchestratorThread(() =>
            {
                context.SetReplaying(true);
                episode.Apply(past);
                context.SetReplaying(false);
                episode.Apply(newEvents);
            });
        }
        catch (NonDeterministicOrchestrationException e)
        {
            return new OrchestrationResult([], Fail(e), context.CustomStatus);
        }

        var completion = episode.Completion ?? CompletionOf(episode.Run, context);
        var actions = completion?.Status is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.ContinuedAsNew
            ? []
            : context.UnmatchedActions;
        return new OrchestrationResult(actions, completion, context.CustomStatus);
    }

    private ITaskOrchestrator? CreateOrchestrator(string name) =>
        registry.TryCreateOrchestrator(name, services, out var orchestrator) ? orchestrator : null;

    private static CompleteOrchestrationAction? CompletionOf(Task<object?>? run, ReplayOrchestrationContext context)
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
            return new CompleteOrchestrationAction(OrchestrationRuntimeStatus.ContinuedAsNew, context.ContinueAsNewInput, null, carryover);
        }

        return Complete(OrchestrationRuntimeStatus.Completed, DataConverter.Serialize(run.Result));
    }

    private static CompleteOrchestrationAction Complete(OrchestrationRuntimeStatus status, string? result) =>
        new(status, result, null, []);

    private static CompleteOrchestrationAction Fail(Exception e) =>
        new(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(e), []);

    /// <summary>The state of one replay: the running orchestrator, suspension, and an early completion.</summary>
    private sealed class Episode(Func<string, ITaskOrchestrator?> createOrchestrator, ReplayOrchestrationContext context)
    {
        private readonly OrchestrationTaskScheduler _scheduler = new();
        private readonly List<HistoryEvent> _heldWhileSuspended = [];
        private bool _suspended;

        public Task<object?>? Run { get; private set; }

        public CompleteOrchestrationAction? Completion { get; private set; }

        public void Apply(IReadOnlyList<HistoryEvent> events)
        {
            foreach (var e in events)
            {
                if (Completion is not null)
                {
                    return;
                }

                Apply(e);
            }
        }

        private void Apply(HistoryEvent e)
        {
            switch (e)
            {
                case OrchestratorStartedEvent started:
                    context.SetCurrentTime(started.Timestamp);
                    break;
                case ExecutionStartedEvent started:
                    Start(started);
                    break;
                case TaskScheduledEvent scheduled:
                    context.MatchTaskScheduled(scheduled);
                    break;
                case TimerCreatedEvent created:
                    context.MatchTimerCreated(created);
                    break;
                case TaskCompletedEvent or TaskFailedEvent or TimerFiredEvent or EventRaisedEvent when _suspended:
                    _heldWhileSuspended.Add(e);
                    break;
                case TaskCompletedEvent or TaskFailedEvent or TimerFiredEvent or EventRaisedEvent:
                    Deliver(e);
                    break;
                case ExecutionSuspendedEvent:
                    _suspended = true;
                    break;
                case ExecutionResumedEvent:
                    _suspended = false;
                    foreach (var held in _heldWhileSuspended)
                    {
                        Deliver(held);
                    }

                    _heldWhileSuspended.Clear();
                    break;
                case ExecutionTerminatedEvent terminated:
                    Completion = Complete(OrchestrationRuntimeStatus.Terminated, terminated.Reason);
                    break;
                case ExecutionCompletedEvent completed:
                    Completion = new CompleteOrchestrationAction(completed.OrchestrationStatus, completed.Result, completed.FailureDetails, []);
                    break;
            }
        }

        private void Start(ExecutionStartedEvent started)
        {
            context.SetStarted(started);
            var orchestrator = createOrchestrator(started.Name);
            if (orchestrator is null)
            {
                Completion = Fail(new InvalidOperationException($"No orchestrator named '{started.Name}' is registered with this worker."));
                return;
            }

            Run = _scheduler.Start<object?>(() => orchestrator.RunAsync(context, started.Input));
            _scheduler.Drain();
        }

        private void Deliver(HistoryEvent e)
        {
            switch (e)
            {
                case TaskCompletedEvent completed:
                    context.CompleteTask(completed.TaskScheduledId, completed.Result, isTimer: false);
                    break;
                case TaskFailedEvent failed:
                    context.FailTask(failed.TaskScheduledId, failed.FailureDetails);
                    break;
                case TimerFiredEvent fired:
                    context.CompleteTask(fired.TimerId, null, isTimer: true);
                    break;
                case EventRaisedEvent raised:
                    context.RaiseEvent(raised);
                    break;
            }

            _scheduler.Drain();
        }
    }
}
