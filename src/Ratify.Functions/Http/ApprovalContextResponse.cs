using System.Text.Json.Nodes;

namespace Ratify.Functions.Http;

/// <summary>What an approver sees through a link: the question, the artifacts, the run, and whether it is still open.</summary>
/// <param name="Approver">Who the link was issued to.</param>
/// <param name="RunContext"><c>{runId, workflowId, version, stepId, startedBy, createdAt, input}</c>.</param>
public sealed record ApprovalContextResponse(
    string ApprovalId,
    string Status,
    string Message,
    string Approver,
    IReadOnlyList<ApprovalArtifactContent> Artifacts,
    JsonObject RunContext,
    DateTimeOffset? ExpiresAt,
    Approvals.ApprovalDecision? Decision);
