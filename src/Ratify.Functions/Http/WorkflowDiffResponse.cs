namespace Ratify.Functions.Http;

/// <summary>The line diff of two versions of a workflow, over their canonical definitions pretty-printed.</summary>
/// <param name="Added">How many lines <paramref name="To"/> adds.</param>
/// <param name="Removed">How many lines of <paramref name="From"/> it removes.</param>
public sealed record WorkflowDiffResponse(string WorkflowId, int From, int To, int Added, int Removed, IReadOnlyList<WorkflowDiffLine> Lines);
