namespace Ratify.Functions.Approvals;

/// <summary>A listing of one tenant's approvals, optionally of one status and one run, a page at a time.</summary>
/// <param name="Limit">The most approvals on the page.</param>
/// <param name="ContinuationToken">Where the previous page ended (the store's token), null for the first page.</param>
public sealed record ApprovalQuery(string? Status, string? RunId, int Limit, string? ContinuationToken = null);
