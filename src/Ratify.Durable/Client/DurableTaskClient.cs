namespace Ratify.Durable.Client;

/// <summary>Starts, signals, inspects and manages orchestration instances.</summary>
public abstract class DurableTaskClient
{
    /// <summary>Schedules a new instance and returns its id.</summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The id is already pending, running or suspended.</exception>
    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default);

    /// <summary>Schedules a new instance with input and default options.</summary>
    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input, CancellationToken cancellation) =>
        ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, null, cancellation);

    /// <summary>Sends an external event; it is buffered if the instance is not waiting for it yet.</summary>
    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    /// <summary>The instance's metadata, or null when it does not exist.</summary>
    public abstract Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, bool getHistory = false, CancellationToken cancellation = default);

    /// <summary>One page of instances matching <paramref name="query"/>.</summary>
    public abstract Task<OrchestrationPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellation = default);

    /// <summary>Waits until the instance has started (or finished), then returns its metadata.</summary>
    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Waits until the instance is completed, failed or terminated, then returns its metadata.</summary>
    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    /// <summary>Stops the instance; its output becomes <paramref name="reason"/>.</summary>
    public abstract Task TerminateInstanceAsync(string instanceId, object? reason = null, CancellationToken cancellation = default);

    /// <summary>Pauses the instance; messages that arrive meanwhile are kept for its resumption.</summary>
    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <summary>Resumes a suspended instance.</summary>
    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    /// <summary>Deletes the history and state of a completed, failed or terminated instance.</summary>
    public abstract Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default);
}
