namespace Ratify.Functions.Orchestration;

/// <summary>What the orchestrator asks <see cref="RecordApprovalActivity"/> to record about a gate.</summary>
/// <param name="Event"><see cref="Settled"/> (the gate consumed a decision or an escalation) or <see cref="Voided"/> (the run ended while it waited).</param>
/// <param name="Round">The round the gate was in before it settled: an escalation since then is recorded as that round's expiry.</param>
public sealed record ApprovalAuditEntry(string TenantId, string ApprovalId, string Event, int Round = 0)
{
    public const string Settled = "settled";
    public const string Voided = "voided";
}
