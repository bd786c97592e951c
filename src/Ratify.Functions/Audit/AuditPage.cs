namespace Ratify.Functions.Audit;

/// <summary>One page of audit records and the token for the next (null on the last page).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, string? ContinuationToken);
