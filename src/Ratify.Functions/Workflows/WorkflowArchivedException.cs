namespace Ratify.Functions.Workflows;

/// <summary>The workflow is archived: it takes no new version (and, for the runs API, no new run).</summary>
public sealed class WorkflowArchivedException(string workflowId)
    : WorkflowConflictException(workflowId, $"Workflow '{workflowId}' is archived.");
