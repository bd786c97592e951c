using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>The answer to <c>GET /v1/workflows</c>: one page in id order; pass <paramref name="ContinuationToken"/> back for the next (null on the last).</summary>
/// <remarks>A page may hold fewer workflows than the limit, even none, while a continuation token remains.</remarks>
public sealed record WorkflowListResponse(IReadOnlyList<WorkflowSummary> Workflows, string? ContinuationToken);
