namespace Ratify.Functions.Workflows;

/// <summary>The tenant has no workflow with this id, or not this version of it.</summary>
public sealed class WorkflowNotFoundException(string workflowId, int? version = null)
    : Exception(version is null ? $"Workflow '{workflowId}' does not exist." : $"Workflow '{workflowId}' has no version {version}.")
{
    /// <summary>The workflow id asked for.</summary>
    public string WorkflowId { get; } = workflowId;

    /// <summary>The version asked for, when one was.</summary>
    public int? Version { get; } = version;
}
