namespace Ratify.Functions.Approvals;

/// <summary>What a verified approval link says: which approval of which tenant, for which approver, from which generation, until when.</summary>
/// <param name="TokenId">A random id naming this link in receipts (never the token itself).</param>
public sealed record ApprovalLinkClaims(string TenantId, string ApprovalId, string Approver, int Generation, DateTimeOffset ExpiresAt, string TokenId);
