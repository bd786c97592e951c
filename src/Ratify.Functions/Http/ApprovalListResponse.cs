namespace Ratify.Functions.Http;

/// <summary>
/// The answer to <c>GET /v1/approvals</c>: one page of the approvals the key may decide (or has decided), in approval id order;
/// pass <paramref name="ContinuationToken"/> back for the next (null on the last).
/// </summary>
/// <remarks>A page may hold fewer approvals than the limit, even none, while a continuation token remains.</remarks>
public sealed record ApprovalListResponse(IReadOnlyList<ApprovalResponse> Approvals, string? ContinuationToken);
