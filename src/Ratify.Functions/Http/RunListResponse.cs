namespace Ratify.Functions.Http;

/// <summary>The answer to <c>GET /v1/runs</c>: one page, newest first; pass <paramref name="ContinuationToken"/> back for the next (null on the last).</summary>
/// <remarks>With filters, a page may hold fewer runs than the limit, even none, while a continuation token remains.</remarks>
public sealed record RunListResponse(IReadOnlyList<RunSummaryResponse> Runs, string? ContinuationToken);
