namespace Ratify.Functions.Workflows;

/// <summary>One version of a stored workflow with the state of the workflow as a whole.</summary>
public sealed record StoredWorkflow(
    WorkflowDefinition Definition,
    int Version,
    DateTimeOffset VersionCreatedAt,
    WorkflowSummary Workflow)
{
    /// <summary>The workflow id.</summary>
    public string Id => Workflow.Id;
}
