using Azure;
using Ratify.Durable.History;

namespace Ratify.Durable.Worker;

/// <summary>An instance's committed history with what the dispatcher derives from it, kept in the cache between episodes.</summary>
internal sealed class OrchestrationRuntimeState
{
    private readonly List<HistoryEvent> _events = [];
    private readonly Dictionary<int, TaskScheduledEvent> _openTasks = [];
    private readonly Dictionary<int, DateTime> _openTimers = [];
    private readonly HashSet<string> _eventMessageIds = new(StringComparer.Ordinal);

    public OrchestrationRuntimeState(string instanceId, string executionId, ETag? etag, IReadOnlyList<string> obsoleteRowKeys, IReadOnlyList<string>? keptExecutions = null)
    {
        KeptExecutions = keptExecutions ?? [];
        RowKeys = [];
        InstanceId = instanceId;
        ExecutionId = executionId;
        ETag = etag;
        ObsoleteRowKeys = obsoleteRowKeys;
    }

    public string InstanceId { get; }

    public string ExecutionId { get; }

    /// <summary>The state row's ETag as last read or written; null before the first commit.</summary>
    public ETag? ETag { get; set; }

    /// <summary>How many episodes the state row has recorded; the Instances row is never set back to a lower one.</summary>
    public long Revision { get; set; }

    /// <summary>The ETag of this host's last write of the Instances row, if any.</summary>
    public ETag? InstanceETag { get; set; }

    /// <summary>The rows holding this execution's events.</summary>
    public List<string> RowKeys { get; }

    /// <summary>Rows of executions ended by ContinueAsNew, deleted with the next commit.</summary>
    public IReadOnlyList<string> ObsoleteRowKeys { get; set; }

    /// <summary>Earlier executions of this instance id whose rows are kept: it was started again after they finished.</summary>
    public IReadOnlyList<string> KeptExecutions { get; }

    public IReadOnlyList<HistoryEvent> Events => _events;

    public string Name { get; private set; } = string.Empty;

    public string? Input { get; private set; }

    public string? Output { get; private set; }

    public TaskFailureDetails? FailureDetails { get; private set; }

    public string? CustomStatus { get; set; }

    public OrchestrationRuntimeStatus Status { get; private set; } = OrchestrationRuntimeStatus.Pending;

    public DateTime CreatedTime { get; private set; }

    public DateTime LastUpdatedTime { get; private set; }

    public DateTime? CompletedTime { get; private set; }

    /// <summary>Activities scheduled and not answered yet: owed work if the host that ran them died.</summary>
    public IReadOnlyDictionary<int, TaskScheduledEvent> OpenTasks => _openTasks;

    /// <summary>Timers created and not fired yet.</summary>
    public IReadOnlyDictionary<int, DateTime> OpenTimers => _openTimers;

    public bool IsTerminal => Status.IsTerminal();

    public bool HasEventMessage(string messageId) => _eventMessageIds.Contains(messageId);

    public void AppendRange(IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            Append(e);
        }
    }

    public void Append(HistoryEvent e)
    {
        _events.Add(e);
        LastUpdatedTime = e.Timestamp;
        switch (e)
        {
            case ExecutionStartedEvent started:
                Name = started.Name;
                Input = started.Input;
                CreatedTime = started.Timestamp;
                Status = OrchestrationRuntimeStatus.Running;
                break;
            case TaskScheduledEvent scheduled:
                _openTasks[scheduled.EventId] = scheduled;
                break;
            case TaskCompletedEvent completed:
                _openTasks.Remove(completed.TaskScheduledId);
                break;
            case TaskFailedEvent failed:
                _openTasks.Remove(failed.TaskScheduledId);
                break;
            case TimerCreatedEvent created:
                _openTimers[created.EventId] = created.FireAt;
                break;
            case TimerFiredEvent fired:
                _openTimers.Remove(fired.TimerId);
                break;
            case EventRaisedEvent raised:
                _eventMessageIds.Add(raised.MessageId);
                break;
            case ExecutionSuspendedEvent:
                Status = OrchestrationRuntimeStatus.Suspended;
                break;
            case ExecutionResumedEvent:
                Status = OrchestrationRuntimeStatus.Running;
                break;
            case ExecutionCompletedEvent completed:
                Status = completed.OrchestrationStatus;
                Output = completed.Result;
                FailureDetails = completed.FailureDetails;
                CompletedTime = completed.Timestamp;
                _openTasks.Clear();
                _openTimers.Clear();
                break;
        }
    }
}
