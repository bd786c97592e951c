namespace Ratify.Functions.Approvals;

/// <summary>One approver's signed links to a gate: the context page (GET) and the resolve endpoint (POST).</summary>
public sealed record ApprovalLink(string Approver, string ContextUrl, string ResolveUrl);
