using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Approvals;

/// <summary>
/// The records an approval writes into its run's audit chain: requested, notified, link opened, resolved, expired, escalated,
/// links revoked. Each has an id derived from the approval, so that a repeated writer appends it once.
/// </summary>
/// <remarks>
/// Who calls what, and why that keeps the chain true, is in <c>Audit/README.md</c>: a decision is recorded by the
/// orchestration when it consumes it (<see cref="ResolvedAsync"/>), never by the request that stored it.
/// </remarks>
public sealed class ApprovalAuditor(AuditTrail trail)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The gate recorded its approval: the message, approvers, expiry and every artifact shown with its SHA-256.</summary>
    public Task RequestedAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = Data(approval);
        data["message"] = approval.Message;
        data["approvers"] = JsonSerializer.SerializeToNode(approval.Approvers, Json);
        data["quorum"] = approval.Quorum;
        data["expiresAt"] = approval.ExpiresAt?.ToString("O");
        data["artifacts"] = Artifacts(approval);
        return AppendAsync(approval, "requested", AuditTypes.ApprovalRequested, AuditActor.System, data, cancellationToken);
    }

    /// <summary>One delivery attempt of a notification and how it went.</summary>
    public Task NotifiedAsync(ApprovalRecord approval, ApprovalNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(notification);
        var data = Data(approval);
        data["delivery"] = notification.Key;
        data["connector"] = notification.Connector;
        data["round"] = notification.Round;
        data["attempt"] = notification.Attempts;
        data["outcome"] = notification.Status;
        data["error"] = notification.Error;
        var id = $"notified/{notification.Round}/{notification.Key}/{notification.Attempts}";
        return AppendAsync(approval, id, AuditTypes.ApprovalNotified, AuditActor.System, data, cancellationToken);
    }

    /// <summary>A context link was opened; <paramref name="openingId"/> is the stored opening's id.</summary>
    public Task LinkOpenedAsync(ApprovalRecord approval, ApprovalOpening opening, string openingId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(opening);
        var data = Data(approval);
        data["tokenId"] = opening.TokenId;
        return AppendAsync(approval, "opened/" + openingId, AuditTypes.ApprovalLinkOpened, AuditActor.Approver(opening.Approver), data, cancellationToken);
    }

    /// <summary>
    /// The gate took its decision: who decided (an approver, a key, or a policy), through which channel, with which note, and
    /// the SHA-256 of every artifact the decision was based on.
    /// </summary>
    public Task ResolvedAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var decision = approval.Decision ?? throw new InvalidOperationException($"Approval {approval.ApprovalId} has no decision to record.");
        var data = Data(approval);
        data["decision"] = decision.Decision;
        data["decidedBy"] = decision.DecidedBy;
        data["channel"] = decision.Channel;
        data["note"] = decision.Note;
        data["decidedAt"] = decision.DecidedAt.ToString("O");
        data["definitionVersion"] = approval.Version;
        data["votes"] = JsonSerializer.SerializeToNode(approval.Votes, Json);
        data["artifacts"] = Artifacts(approval);
        return AppendAsync(approval, "resolved", AuditTypes.ApprovalResolved, ActorOf(decision), data, cancellationToken);
    }

    /// <summary>The gate's timeout ran out; <paramref name="round"/> is the round that expired.</summary>
    public Task ExpiredAsync(ApprovalRecord approval, int round, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = Data(approval);
        data["round"] = round;
        data["onTimeout"] = approval.OnTimeout;
        return AppendAsync(approval, $"expired/{round}", AuditTypes.ApprovalExpired, AuditActor.System, data, cancellationToken);
    }

    /// <summary>The gate escalated: who was added and the new expiry.</summary>
    public Task EscalatedAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = Data(approval);
        data["round"] = approval.Round;
        data["escalateTo"] = JsonSerializer.SerializeToNode(approval.EscalateTo, Json);
        data["expiresAt"] = approval.ExpiresAt?.ToString("O");
        return AppendAsync(approval, $"escalated/{approval.Round}", AuditTypes.ApprovalEscalated, AuditActor.System, data, cancellationToken);
    }

    /// <summary>The approval's outstanding links were voided, by a key or because its run ended while the gate waited.</summary>
    public Task LinksRevokedAsync(ApprovalRecord approval, AuditActor actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = Data(approval);
        data["linkGeneration"] = approval.LinkGeneration;
        data["reason"] = reason;
        return AppendAsync(approval, $"revoked/{approval.LinkGeneration}/{approval.Status}", AuditTypes.ApprovalLinksRevoked, actor, data, cancellationToken);
    }

    /// <summary>The actor of a decision: the person, the key, or the policy (the system acting on the definition's rule).</summary>
    public static AuditActor ActorOf(ApprovalDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.DecidedBy == "policy")
        {
            return new AuditActor(AuditActor.SystemKind, decision.Channel);
        }

        return ApproverIdentity.IsKey(decision.DecidedBy)
            ? AuditActor.Key(decision.DecidedBy[ApproverIdentity.KeyPrefix.Length..])
            : AuditActor.Approver(decision.DecidedBy);
    }

    private static JsonObject Data(ApprovalRecord approval) => new() { ["approvalId"] = approval.ApprovalId, ["stepId"] = approval.StepId };

    private static JsonArray Artifacts(ApprovalRecord approval) =>
        [.. approval.Artifacts.Select(a => (JsonNode)new JsonObject { ["stepId"] = a.StepId, ["name"] = a.Name, ["type"] = a.Type, ["size"] = a.Size, ["sha256"] = a.Sha256 })];

    private Task AppendAsync(ApprovalRecord approval, string suffix, string type, AuditActor actor, JsonObject data, CancellationToken cancellationToken) =>
        trail.AppendAsync(AuditScopes.Run(approval.TenantId, approval.RunId), type, actor, data, $"approval/{approval.ApprovalId}/{suffix}", cancellationToken);
}
