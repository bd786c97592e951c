namespace Ratify.Functions.Approvals;

/// <summary>An approval gate of a run: what was asked and shown, of whom, until when, and how it was decided (the receipt).</summary>
/// <param name="ApprovalId"><c>apr_</c> and 32 hex digits.</param>
/// <param name="Version">The workflow definition version the run pinned.</param>
/// <param name="RunStartedBy">Who started the run (a key id, hook or schedule): refused as approver unless <paramref name="AllowSelfApproval"/>.</param>
/// <param name="Approvers">Named approvers; empty means any key of the tenant with <c>approvals:resolve</c>.</param>
/// <param name="ExpiresAt">When the timeout policy applies; null without a timeout.</param>
/// <param name="Round">0, or 1 once the gate escalated.</param>
/// <param name="LinkGeneration">Links carry the generation they were issued in; revoking links moves it on.</param>
/// <param name="Raised">Whether the decision has been delivered to the run (the event raised).</param>
public sealed record ApprovalRecord(
    string TenantId,
    string ApprovalId,
    string RunId,
    string StepId,
    string WorkflowId,
    int Version,
    string RunStartedBy,
    string Status,
    string Message,
    IReadOnlyList<ApprovalArtifact> Artifacts,
    IReadOnlyList<string> Approvers,
    int Quorum,
    bool AllowSelfApproval,
    string OnTimeout,
    IReadOnlyList<string> EscalateTo,
    string? Timeout,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    int Round,
    int LinkGeneration,
    IReadOnlyList<ApprovalVote> Votes,
    ApprovalDecision? Decision,
    IReadOnlyList<ApprovalNotification> Notifications,
    bool Raised)
{
    /// <summary>Whether <paramref name="identity"/> may decide: a named approver, or any key when no approver is named.</summary>
    public bool MayDecide(string identity) =>
        Approvers.Count == 0 ? ApproverIdentity.IsKey(identity) : Approvers.Contains(identity, StringComparer.OrdinalIgnoreCase);

    /// <summary>The named approvers reached by link.</summary>
    public IEnumerable<string> People => Approvers.Where(a => !ApproverIdentity.IsKey(a));
}
