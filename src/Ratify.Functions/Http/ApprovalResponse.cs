using Ratify.Functions.Approvals;

namespace Ratify.Functions.Http;

/// <summary>An approval with its receipt: the question, the artifacts shown with their SHA-256, every vote, the decision, the deliveries and every link opening.</summary>
/// <param name="Version">The workflow definition version the run pinned.</param>
/// <param name="Openings">Every opening of a context link; null in listings.</param>
public sealed record ApprovalResponse(
    string ApprovalId,
    string RunId,
    string StepId,
    string WorkflowId,
    int Version,
    string Status,
    string Message,
    IReadOnlyList<ApprovalArtifact> Artifacts,
    IReadOnlyList<string> Approvers,
    int Quorum,
    bool AllowSelfApproval,
    string? Timeout,
    string OnTimeout,
    IReadOnlyList<string> EscalateTo,
    int Round,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<ApprovalVote> Votes,
    ApprovalDecision? Decision,
    IReadOnlyList<ApprovalNotification> Notifications,
    IReadOnlyList<ApprovalOpening>? Openings)
{
    public static ApprovalResponse From(ApprovalRecord a, IReadOnlyList<ApprovalOpening>? openings = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new ApprovalResponse(a.ApprovalId, a.RunId, a.StepId, a.WorkflowId, a.Version, a.Status, a.Message, a.Artifacts, a.Approvers, a.Quorum,
            a.AllowSelfApproval, a.Timeout, a.OnTimeout, a.EscalateTo, a.Round, a.CreatedAt, a.ExpiresAt, a.Votes, a.Decision, a.Notifications, openings);
    }
}
