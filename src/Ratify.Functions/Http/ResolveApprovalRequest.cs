namespace Ratify.Functions.Http;

/// <summary>The body of a resolve: <c>{"decision": "approved"|"rejected", "note": "…"}</c>.</summary>
public sealed record ResolveApprovalRequest(string? Decision, string? Note);
