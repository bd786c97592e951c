namespace Ratify.Functions.Workflows;

/// <summary>A write clashed with the workflow's current state: it already exists, or another update won.</summary>
public class WorkflowConflictException(string workflowId, string message) : Exception(message)
{
    /// <summary>The workflow id concerned.</summary>
    public string WorkflowId { get; } = workflowId;
}
