namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/runs/{runId}/approvals/{approvalId}/approve|reject</c>: an optional comment.</summary>
public sealed record ApprovalCommentRequest(string? Comment);
