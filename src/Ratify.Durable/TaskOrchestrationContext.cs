using Microsoft.Extensions.Logging;

namespace Ratify.Durable;

/// <summary>The orchestrator's only door to the outside world: activities, timers, events and replay-safe time.</summary>
/// <remarks>
/// Orchestrator code is replayed from history after every step, so it must be deterministic: call these
/// members only from the orchestrator itself (never from another thread) and await only the tasks they return.
/// </remarks>
public abstract class TaskOrchestrationContext
{
    /// <summary>The orchestrator's registered name.</summary>
    public abstract string Name { get; }

    /// <summary>The instance id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>True while the code is being replayed from history (side effects should not repeat).</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>The replay-safe current time: the time the current episode started.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>The input as <typeparamref name="T"/>.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules activity <paramref name="name"/> and returns its result.</summary>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules activity <paramref name="name"/> and waits for it to finish.</summary>
    public virtual Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    /// <summary>A durable timer that fires at <paramref name="fireAt"/> (UTC); cancelling it abandons the wait.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>A durable timer that fires after <paramref name="delay"/>.</summary>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>Waits for the external event <paramref name="eventName"/>; events raised before the wait are buffered.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an external event up to <paramref name="timeout"/>; throws <see cref="TaskCanceledException"/> when it expires.</summary>
    public virtual async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        using var eventCancellation = new CancellationTokenSource();
        var timer = CreateTimer(timeout, timerCancellation.Token);
        var externalEvent = WaitForExternalEvent<T>(eventName, eventCancellation.Token);
        var winner = await Task.WhenAny(externalEvent, timer);
        if (winner == externalEvent)
        {
            timerCancellation.Cancel(); // synchronous: cancellation callbacks must run on the orchestrator thread
            return await externalEvent;
        }

        eventCancellation.Cancel();
        throw new TaskCanceledException($"The external event '{eventName}' did not arrive within {timeout}.");
    }

    /// <summary>Sets the status that clients see beside the runtime status.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Restarts the orchestration with new input and an empty history once this run returns.</summary>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID that is the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes only when the orchestrator is not replaying.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);

    /// <summary>A logger for <typeparamref name="T"/> that writes only when the orchestrator is not replaying.</summary>
    public ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);
}
