using Ratify.Durable.Actions;
using Ratify.Durable.History;

namespace Ratify.Durable.Replay;

/// <summary>One orchestrator in memory: its context, its scheduler, its suspension, and an early completion.</summary>
internal sealed class OrchestrationRunner(Func<string, ITaskOrchestrator?> createOrchestrator, DataConverter converter, ReplayOrchestrationContext context)
{
    private readonly OrchestrationTaskScheduler _scheduler = new();
    private readonly List<HistoryEvent> _heldWhileSuspended = [];
    private bool _suspended;

    public ReplayOrchestrationContext Context => context;

    public Task<object?>? Run { get; private set; }

    public CompleteOrchestrationAction? Completion { get; private set; }

    /// <summary>Forgets the actions of the last episode: they are in the committed history now.</summary>
    public void MarkRecorded() => context.ClearUnmatchedActions();

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
                Completion = OrchestrationExecutor.Complete(OrchestrationRuntimeStatus.Terminated, terminated.Reason);
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
            Completion = OrchestrationExecutor.Fail(new InvalidOperationException($"No orchestrator named '{started.Name}' is registered with this worker."));
            return;
        }

        Run = _scheduler.Start<object?>(() => orchestrator.RunAsync(context, converter.Deserialize(started.Input, orchestrator.InputType)));
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
