using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Runs;
using Ratify.Functions.Telemetry;

namespace Ratify.Functions.Approvals;

/// <summary>
/// Records decisions on gates and delivers settled ones to their runs. The decision is stored first (an ETag-guarded write,
/// so exactly one settles a gate), then the run's event is raised, then the approval is marked delivered; a host that stops in
/// between leaves an undelivered decision, and the note it wrote before deciding, from which <see cref="ApprovalRedeliveryService"/>
/// raises it again. Raising twice is harmless:
/// the run waits for the event once.
/// </summary>
public sealed partial class ApprovalResolver(ApprovalStore store, StepResultStore results, DurableTaskClient client, TimeProvider time, ILogger<ApprovalResolver> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string Approve = "approved";
    public const string Reject = "rejected";

    /// <summary>The channel of a decision made by the gate's timeout policy.</summary>
    public const string TimeoutChannel = "policy:timeout";

    /// <summary>The channel of a decision made by the gate's <c>autoApprove</c> rule.</summary>
    public const string AutoApproveChannel = "policy:autoApprove";

    /// <summary>Records <paramref name="voter"/>'s decision; null when the tenant has no such approval (of run <paramref name="runId"/>, when given).</summary>
    public async Task<(ApprovalRecord Approval, ResolveResult Result)?> ResolveAsync(
        string tenantId, string approvalId, string voter, string channel, string decision, string? note, CancellationToken cancellationToken = default, string? runId = null)
    {
        if (!ApprovalIds.IsWellFormed(approvalId))
        {
            return null;
        }

        // Noted before deciding, cleared once the run is told: a host that stops in between leaves the note for redelivery.
        var noteId = await store.NoteDecidingAsync(tenantId, approvalId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var outcome = await store.UpdateAsync(tenantId, approvalId, current => runId is not null && current.RunId != runId
                ? ((ApprovalRecord?)null, ResolveResult.NotFound)
                : Vote(current, new ApprovalVote(decision, voter, channel, note, now)), cancellationToken)
            .ConfigureAwait(false);
        (ApprovalRecord Approval, ResolveResult Result)? answer = outcome is null or { Result: ResolveResult.NotFound } ? null : outcome;
        if (outcome is { Result: ResolveResult.Decided } decided)
        {
            RunMetrics.ApprovalDecided(decided.Approval.CreatedAt, now, decided.Approval.Status);
            answer = (await DeliverAsync(decided.Approval, cancellationToken).ConfigureAwait(false), ResolveResult.Decided);
        }

        await store.ClearDecidingAsync(noteId, CancellationToken.None).ConfigureAwait(false);
        return answer;
    }

    /// <summary>Settles a pending gate by policy (auto-approval or timeout); a gate decided meanwhile keeps its decision. Does not raise.</summary>
    public async Task<ApprovalRecord?> DecideByPolicyAsync(string tenantId, string approvalId, string decision, string channel, string note, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var outcome = await store.UpdateAsync(tenantId, approvalId, current => current.Status != ApprovalStatuses.Pending
                ? ((ApprovalRecord?)null, false)
                : (current with { Status = decision, Decision = new ApprovalDecision(decision, "policy", channel, note, now), Raised = true }, true),
            cancellationToken).ConfigureAwait(false);
        if (outcome is { Result: true } settled)
        {
            RunMetrics.ApprovalDecided(settled.Approval.CreatedAt, now, decision);
        }

        return outcome?.Approval;
    }

    /// <summary>Stores the decision as the gate step's output, raises the run's event and marks the approval delivered.</summary>
    public async Task<ApprovalRecord> DeliverAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var decision = approval.Decision ?? throw new InvalidOperationException($"Approval {approval.ApprovalId} has no decision to deliver.");
        await results.SaveOutputAsync(approval.RunId, approval.StepId, JsonSerializer.SerializeToNode(decision, Json), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        var signal = new ApprovalSignal(approval.ApprovalId, decision.Decision, decision.DecidedBy, decision.Note);
        await client.RaiseEventAsync(approval.RunId, ApprovalSignal.EventName(approval.ApprovalId), signal, CancellationToken.None).ConfigureAwait(false);
        LogDelivered(logger, approval.ApprovalId, approval.RunId, approval.Status);
        var marked = await store.UpdateAsync(approval.TenantId, approval.ApprovalId, current => current.Raised
                ? ((ApprovalRecord?)null, 0)
                : (current with { Raised = true }, 0),
            CancellationToken.None).ConfigureAwait(false);
        return marked?.Approval ?? approval;
    }

    private static (ApprovalRecord? Next, ResolveResult Result) Vote(ApprovalRecord current, ApprovalVote vote)
    {
        if (current.Status == ApprovalStatuses.Cancelled)
        {
            return (null, ResolveResult.Cancelled);
        }

        if (ApprovalStatuses.IsDecided(current.Status))
        {
            return (null, ResolveResult.AlreadyDecided);
        }

        if (!current.MayDecide(vote.Voter))
        {
            return (null, ResolveResult.NotAnApprover);
        }

        if (!current.AllowSelfApproval && IsStarter(current, vote.Voter))
        {
            return (null, ResolveResult.SelfApproval);
        }

        if (current.Votes.Any(v => string.Equals(v.Voter, vote.Voter, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, ResolveResult.AlreadyVoted);
        }

        var votes = current.Votes.Append(vote).ToList();
        var approvals = votes.Count(v => v.Decision == Approve);
        var status = vote.Decision == Reject ? Reject : approvals >= current.Quorum ? Approve : ApprovalStatuses.Pending;
        if (status == ApprovalStatuses.Pending)
        {
            return (current with { Votes = votes }, ResolveResult.VoteRecorded);
        }

        var decision = new ApprovalDecision(status, vote.Voter, vote.Channel, vote.Note, vote.At);
        return (current with { Votes = votes, Status = status, Decision = decision, Raised = false }, ResolveResult.Decided);
    }

    /// <summary>The run's starter: a key id (API), or a hook or schedule name, which never decides.</summary>
    private static bool IsStarter(ApprovalRecord approval, string voter) =>
        approval.RunStartedBy.Length > 0
        && (string.Equals(voter, ApproverIdentity.OfKey(approval.RunStartedBy), StringComparison.Ordinal)
            || string.Equals(voter, approval.RunStartedBy, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Approval {ApprovalId} of run {RunId} was {Decision}; the run was told")]
    private static partial void LogDelivered(ILogger logger, string approvalId, string runId, string decision);
}
