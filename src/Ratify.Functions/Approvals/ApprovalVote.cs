namespace Ratify.Functions.Approvals;

/// <summary>One approver's vote on a gate (a gate with a quorum collects several).</summary>
public sealed record ApprovalVote(string Decision, string Voter, string Channel, string? Note, DateTimeOffset At);
