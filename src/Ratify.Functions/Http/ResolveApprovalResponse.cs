namespace Ratify.Functions.Http;

/// <summary>The answer to a decision: what it did, and where the approval stands now.</summary>
/// <param name="Message">"Workflow resuming." when this decision settled the gate.</param>
/// <param name="Votes">Approvals counted so far, for a gate with a quorum.</param>
public sealed record ResolveApprovalResponse(string Message, string ApprovalId, string RunId, string Status, string Decision, int Votes, int Quorum);
