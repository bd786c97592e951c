using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Ratify.Durable.Actions;
using Ratify.Durable.History;

namespace Ratify.Durable.Replay;

/// <summary>The context an orchestrator sees while <see cref="OrchestrationExecutor"/> replays its history.</summary>
/// <remarks>
/// This backend's implementation of Microsoft's <see cref="TaskOrchestrationContext"/>. Sub-orchestrations,
/// <see cref="SendEvent"/> and durable entities are not supported and throw <see cref="NotSupportedException"/>.
/// </remarks>
internal sealed class ReplayOrchestrationContext(string instanceId, DataConverter converter, ILoggerFactory loggerFactory) : TaskOrchestrationContext
{
    private readonly SortedDictionary<int, OrchestratorAction> _unmatchedActions = [];
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EventRaisedEvent> _bufferedEvents = [];
    private int _nextTaskId;
    private int _guidCounter;
    private int _executingThreadId = -1;
    private string? _input;
    private string _name = string.Empty;
    private DateTime _currentUtc;
    private bool _isReplaying;

    public override TaskName Name => new(_name);

    public override string InstanceId => instanceId;

    public override ParentOrchestrationInstance? Parent => null;

    public override bool IsReplaying => _isReplaying;

    public override DateTime CurrentUtcDateTime => _currentUtc;

    protected override ILoggerFactory LoggerFactory => loggerFactory;

    /// <summary>The custom status the orchestrator set, serialised.</summary>
    public string? CustomStatus { get; private set; }

    /// <summary>True when the orchestrator asked to continue as new.</summary>
    public bool ContinueAsNewRequested { get; private set; }

    /// <summary>The serialised input of the next execution.</summary>
    public string? ContinueAsNewInput { get; private set; }

    /// <summary>Whether unconsumed events go to the next execution.</summary>
    public bool PreserveUnprocessedEvents { get; private set; }

    /// <summary>Events that arrived and were not consumed by a wait.</summary>
    public IReadOnlyList<EventRaisedEvent> BufferedEvents => _bufferedEvents;

    /// <summary>The actions the orchestrator took that history does not record yet, in task id order.</summary>
    public IReadOnlyList<OrchestratorAction> UnmatchedActions => [.. _unmatchedActions.Values];

    public void ClearUnmatchedActions() => _unmatchedActions.Clear();

    public void SetStarted(ExecutionStartedEvent started)
    {
        _name = started.Name;
        _input = started.Input;
    }

    public void SetCurrentTime(DateTime utc) => _currentUtc = utc;

    public void SetReplaying(bool replaying) => _isReplaying = replaying;

    /// <summary>Runs <paramref name="work"/> on the calling thread, which then counts as the orchestrator thread.</summary>
    public void RunOnOrchestratorThread(Action work)
    {
        _executingThreadId = Environment.CurrentManagedThreadId;
        try
        {
            work();
        }
        finally
        {
            _executingThreadId = -1;
        }
    }

    public override T? GetInput<T>() where T : default => converter.Deserialize<T>(_input);

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        ThrowIfNotOnOrchestratorThread();
        if (input is TaskOptions && options is null)
        {
            throw new ArgumentException(
                $"A {nameof(TaskOptions)} value was passed as the activity input; did you mean to pass it as '{nameof(options)}'?", nameof(input));
        }

        var serializedInput = converter.Serialize(input);
        var attempt = async () => converter.Deserialize<TResult>(await ScheduleTask(name.Name, serializedInput))!;
        return options?.Retry is { } retry ? DurableRetry.RunAsync(this, attempt, retry) : attempt();
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        ThrowIfNotOnOrchestratorThread();
        var id = _nextTaskId++;
        var fireAtUtc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        _unmatchedActions[id] = new CreateTimerOrchestratorAction(id, fireAtUtc);
        var completion = new TaskCompletionSource<string?>();
        _openTasks[id] = new OpenTask("timer", completion, IsTimer: true);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        }

        return completion.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOnOrchestratorThread();
        var buffered = _bufferedEvents.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (buffered >= 0)
        {
            var input = _bufferedEvents[buffered].Input;
            _bufferedEvents.RemoveAt(buffered);
            return Task.FromResult(converter.Deserialize<T>(input)!);
        }

        var completion = new TaskCompletionSource<string?>();
        if (!_eventWaiters.TryGetValue(eventName, out var waiters))
        {
            _eventWaiters[eventName] = waiters = new LinkedList<TaskCompletionSource<string?>>();
        }

        var node = waiters.AddLast(completion);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (node.List is not null)
                {
                    waiters.Remove(node);
                }

                completion.TrySetCanceled(cancellationToken);
            });
        }

        return Convert<T>(completion.Task);
    }

    public override void SetCustomStatus(object? customStatus)
    {
        ThrowIfNotOnOrchestratorThread();
        CustomStatus = converter.Serialize(customStatus);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        ThrowIfNotOnOrchestratorThread();
        ContinueAsNewRequested = true;
        ContinueAsNewInput = converter.Serialize(newInput);
        PreserveUnprocessedEvents = preserveUnprocessedEvents;
    }

    public override Guid NewGuid()
    {
        ThrowIfNotOnOrchestratorThread();
        var name = $"{instanceId}_{_currentUtc:O}_{_guidCounter++}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // RFC 9562 version 8 (name-based, custom hash)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    public override void SendEvent(string instanceId, string eventName, object payload) =>
        throw new NotSupportedException("SendEvent is not supported by Ratify's Azure Storage backend; raise the event through the client instead.");

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("Sub-orchestrations are not supported by Ratify's Azure Storage backend.");

    /// <summary>Checks a recorded <c>TaskScheduled</c> against what the replay scheduled.</summary>
    public void MatchTaskScheduled(TaskScheduledEvent recorded)
    {
        var action = TakeAction(recorded.EventId, $"activity '{recorded.Name}'");
        if (action is not ScheduleTaskOrchestratorAction schedule || schedule.Name != recorded.Name)
        {
            throw Mismatch(recorded.EventId, $"activity '{recorded.Name}'", Describe(action));
        }
    }

    /// <summary>Checks a recorded <c>TimerCreated</c> against what the replay scheduled.</summary>
    public void MatchTimerCreated(TimerCreatedEvent recorded)
    {
        var action = TakeAction(recorded.EventId, "a durable timer");
        if (action is not CreateTimerOrchestratorAction)
        {
            throw Mismatch(recorded.EventId, "a durable timer", Describe(action));
        }
    }

    public void CompleteTask(int taskId, string? result, bool isTimer)
    {
        if (_openTasks.Remove(taskId, out var open))
        {
            if (open.IsTimer != isTimer)
            {
                throw NonDeterminism(
                    $"History records {(isTimer ? "a fired timer" : "a completed activity")} with task id {taskId}, but the replay " +
                    $"created {(open.IsTimer ? "a durable timer" : $"activity '{open.Name}'")} with that id. " +
                    "Was the orchestrator code changed after this instance started?");
            }

            open.Completion.TrySetResult(result);
        }
    }

    public void FailTask(int taskId, TaskFailureDetails failure)
    {
        if (_openTasks.Remove(taskId, out var open))
        {
            if (open.IsTimer)
            {
                throw NonDeterminism(
                    $"History records a failed activity with task id {taskId}, but the replay created a durable timer with that id. " +
                    "Was the orchestrator code changed after this instance started?");
            }

            open.Completion.TrySetException(new TaskFailedException(open.Name, taskId, failure));
        }
    }

    public void RaiseEvent(EventRaisedEvent raised)
    {
        if (_eventWaiters.TryGetValue(raised.Name, out var waiters))
        {
            while (waiters.First is { } first)
            {
                waiters.RemoveFirst();
                if (first.Value.TrySetResult(raised.Input))
                {
                    return;
                }
            }
        }

        _bufferedEvents.Add(raised);
    }

    private async Task<T> Convert<T>(Task<string?> raw) => converter.Deserialize<T>(await raw)!;

    private Task<string?> ScheduleTask(string name, string? input)
    {
        var id = _nextTaskId++;
        _unmatchedActions[id] = new ScheduleTaskOrchestratorAction(id, name, input);
        var completion = new TaskCompletionSource<string?>();
        _openTasks[id] = new OpenTask(name, completion, IsTimer: false);
        return completion.Task;
    }

    private OrchestratorAction TakeAction(int taskId, string recorded)
    {
        if (!_unmatchedActions.Remove(taskId, out var action))
        {
            throw NonDeterminism(
                $"A previous execution of this orchestration scheduled {recorded} with task id {taskId}, but the replay did not. " +
                "Was the orchestrator code changed after this instance started?");
        }

        return action;
    }

    private static DurableTask.Core.Exceptions.NonDeterministicOrchestrationException NonDeterminism(string details)
    {
        var exception = new DurableTask.Core.Exceptions.NonDeterministicOrchestrationException(-1, details);

        // The SDK reports a framework exception by its failure details, so they must name it.
        exception.FailureDetails = new DurableTask.Core.FailureDetails(exception);
        return exception;
    }

    private static DurableTask.Core.Exceptions.NonDeterministicOrchestrationException Mismatch(int taskId, string recorded, string replayed) =>
        NonDeterminism($"A previous execution of this orchestration scheduled {recorded} with task id {taskId}, but the replay scheduled {replayed} " +
            "with that id. Was the orchestrator code changed after this instance started?");

    private static string Describe(OrchestratorAction action) => action switch
    {
        ScheduleTaskOrchestratorAction schedule => $"activity '{schedule.Name}'",
        CreateTimerOrchestratorAction => "a durable timer",
        _ => action.GetType().Name,
    };

    private void ThrowIfNotOnOrchestratorThread()
    {
        if (_executingThreadId != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "The orchestration context was used outside the orchestrator's thread. Orchestrators may await only tasks " +
                "created by the context (not Task.Run, Task.Delay or I/O) and must not use ConfigureAwait(false).");
        }
    }

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Completion, bool IsTimer);
}
