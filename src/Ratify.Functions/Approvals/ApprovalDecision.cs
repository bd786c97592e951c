namespace Ratify.Functions.Approvals;

/// <summary>The decision that settled a gate; also the approval step's output.</summary>
/// <param name="Decision"><c>approved</c> or <c>rejected</c>.</param>
/// <param name="DecidedBy">The person, <c>key:&lt;id&gt;</c>, or <c>policy</c>.</param>
/// <param name="Channel">How it came: <c>link:&lt;token id&gt;</c>, <c>key:&lt;id&gt;</c>, <c>policy:autoApprove</c> or <c>policy:timeout</c>.</param>
public sealed record ApprovalDecision(string Decision, string DecidedBy, string Channel, string? Note, DateTimeOffset DecidedAt);
