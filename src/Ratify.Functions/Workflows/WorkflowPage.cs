namespace Ratify.Functions.Workflows;

/// <summary>One page of workflows; <paramref name="ContinuationToken"/> fetches the next one, null on the last.</summary>
public sealed record WorkflowPage(IReadOnlyList<WorkflowSummary> Items, string? ContinuationToken);
