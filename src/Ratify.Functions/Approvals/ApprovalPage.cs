namespace Ratify.Functions.Approvals;

/// <summary>One page of approvals in approval id order; <paramref name="ContinuationToken"/> is null on the last page.</summary>
public sealed record ApprovalPage(IReadOnlyList<ApprovalRecord> Approvals, string? ContinuationToken);
