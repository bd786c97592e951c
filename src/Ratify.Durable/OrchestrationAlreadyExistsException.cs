namespace Ratify.Durable;

/// <summary>Thrown when scheduling an instance id that is already pending, running or suspended.</summary>
public sealed class OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
    : InvalidOperationException($"An orchestration with instance id '{instanceId}' already exists and is {status}.")
{
    /// <summary>The conflicting instance id.</summary>
    public string InstanceId { get; } = instanceId;
}
