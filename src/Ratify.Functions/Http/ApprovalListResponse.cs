namespace Ratify.Functions.Http;

/// <summary>Approvals the key may decide (or has decided), newest first.</summary>
public sealed record ApprovalListResponse(IReadOnlyList<ApprovalResponse> Approvals);
