using Ratify.Durable.History;

namespace Ratify.Durable.Worker;

/// <summary>Sorts an episode's messages against the instance's state: what to apply, drop, hand back, reschedule or set aside.</summary>
internal sealed class MessageSorter(DurableTaskOptions options, OrchestrationRuntimeState? state, DateTime now)
{
    private readonly HashSet<int> _answeredTasks = [];
    private readonly HashSet<int> _firedTimers = [];
    private readonly HashSet<string> _events = new(StringComparer.Ordinal);
    private OrchestrationRuntimeStatus? _status = state?.Status;

    /// <summary>The start of a new execution, if one of the messages begins one.</summary>
    public ExecutionStartedEvent? Start { get; private set; }

    /// <summary>The ETag of the Instances row as the client wrote it for <see cref="Start"/>, when its message carried one.</summary>
    public string? StartRowETag { get; private set; }

    /// <summary>The messages that carried <see cref="Start"/> or a duplicate of it.</summary>
    public List<InboxMessage> StartMessages { get; } = [];

    /// <summary>Messages to apply in this episode, in order.</summary>
    public List<(InboxMessage Message, HistoryEvent Event)> Accepted { get; } = [];

    /// <summary>Duplicates and messages for other executions or finished instances: deleted unapplied.</summary>
    public List<InboxMessage> Dropped { get; } = [];

    /// <summary>Messages for an instance that does not exist yet (they may have overtaken its start).</summary>
    public List<InboxMessage> Early { get; } = [];

    /// <summary>Timer messages that came before their time (long timers are chained).</summary>
    public List<InboxMessage> Rescheduled { get; } = [];

    /// <summary>Messages received too many times.</summary>
    public List<InboxMessage> Poison { get; } = [];

    public void Add(InboxMessage message)
    {
        if (message.Receipt is { } receipt && receipt.DequeueCount > options.StorageProvider.MaxDequeueCount)
        {
            Poison.Add(message);
            return;
        }

        var e = message.Message.Event;
        if (e is ExecutionStartedEvent started)
        {
            AddStart(message, started);
            return;
        }

        var executionId = Start?.ExecutionId ?? state?.ExecutionId;
        if (executionId is null)
        {
            (message.Receipt is null ? Dropped : Early).Add(message);
            return;
        }

        if ((message.Message.ExecutionId is { } target && target != executionId) || (_status?.IsTerminal() ?? false))
        {
            Dropped.Add(message);
            return;
        }

        switch (Classify(e))
        {
            case Verdict.Apply:
                Accepted.Add((message, e));
                break;
            case Verdict.Reschedule:
                Rescheduled.Add(message);
                break;
            default:
                Dropped.Add(message);
                break;
        }
    }

    private void AddStart(InboxMessage message, ExecutionStartedEvent started)
    {
        StartMessages.Add(message);
        var current = Start?.ExecutionId ?? state?.ExecutionId;
        if (current == started.ExecutionId)
        {
            return; // redelivered
        }

        if (Start is null && (state is null || state.IsTerminal))
        {
            Start = started;
            StartRowETag = message.Message.InstanceRowETag;
            _status = OrchestrationRuntimeStatus.Running;
        }
    }

    private Verdict Classify(HistoryEvent e)
    {
        var fromCurrentExecution = Start is null;
        switch (e)
        {
            case TaskCompletedEvent completed:
                return Answer(completed.TaskScheduledId, fromCurrentExecution);
            case TaskFailedEvent failed:
                return Answer(failed.TaskScheduledId, fromCurrentExecution);
            case TimerFiredEvent fired when !fromCurrentExecution || !state!.OpenTimers.ContainsKey(fired.TimerId) || _firedTimers.Contains(fired.TimerId):
                return Verdict.Drop;
            case TimerFiredEvent fired when fired.FireAt > now: // a durable timer never fires early
                return Verdict.Reschedule;
            case TimerFiredEvent fired:
                _firedTimers.Add(fired.TimerId);
                return Verdict.Apply;
            case EventRaisedEvent raised:
                return (state?.HasEventMessage(raised.MessageId) ?? false) || !_events.Add(raised.MessageId) ? Verdict.Drop : Verdict.Apply;
            case ExecutionSuspendedEvent:
                return ChangeStatus(OrchestrationRuntimeStatus.Suspended, from: OrchestrationRuntimeStatus.Running);
            case ExecutionResumedEvent:
                return ChangeStatus(OrchestrationRuntimeStatus.Running, from: OrchestrationRuntimeStatus.Suspended);
            case ExecutionTerminatedEvent:
                _status = OrchestrationRuntimeStatus.Terminated;
                return Verdict.Apply;
            default:
                return Verdict.Drop;
        }
    }

    private Verdict Answer(int taskId, bool fromCurrentExecution) =>
        fromCurrentExecution && state!.OpenTasks.ContainsKey(taskId) && _answeredTasks.Add(taskId) ? Verdict.Apply : Verdict.Drop;

    private Verdict ChangeStatus(OrchestrationRuntimeStatus to, OrchestrationRuntimeStatus from)
    {
        if (_status != from)
        {
            return Verdict.Drop;
        }

        _status = to;
        return Verdict.Apply;
    }

    private enum Verdict
    {
        Apply,
        Drop,
        Reschedule,
    }
}
