namespace Ratify.Functions.Approvals;

/// <summary>One opening of an approval's context link: who it was issued to, which link, and when.</summary>
public sealed record ApprovalOpening(string Approver, string TokenId, DateTimeOffset At);
