using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Records in the run's audit chain what a gate's orchestration acted on: the decision it consumed (with its receipt), an
/// expiry and an escalation; or, when the run ended while the gate waited, voids the approval's links and records that.
/// </summary>
/// <remarks>
/// Scheduled by the orchestrator in the same history commit as the effect, so the effect and its record are both durable or
/// neither is. Reads the approval as stored (its decision is final once made) and appends under ids derived from the approval,
/// so a re-executed activity appends nothing new.
/// </remarks>
public sealed class RecordApprovalActivity(ApprovalStore approvals, ApprovalAuditor auditor) : TaskActivity<ApprovalAuditEntry, bool>
{
    public const string Name = nameof(RecordApprovalActivity);

    public override async Task<bool> RunAsync(TaskActivityContext context, ApprovalAuditEntry input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Event == ApprovalAuditEntry.Voided)
        {
            var voided = await approvals.UpdateAsync(input.TenantId, input.ApprovalId, current => current.Status == ApprovalStatuses.Pending
                ? (current with { Status = ApprovalStatuses.Cancelled }, true)
                : ((ApprovalRecord?)null, current.Status == ApprovalStatuses.Cancelled)).ConfigureAwait(false);
            if (voided is { Result: true } cancelled)
            {
                await auditor.LinksRevokedAsync(cancelled.Approval, AuditActor.System, "run_ended").ConfigureAwait(false);
            }

            return true;
        }

        var approval = await approvals.GetAsync(input.TenantId, input.ApprovalId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Approval {input.ApprovalId} has no record.");
        if (approval.Round > input.Round)
        {
            await auditor.ExpiredAsync(approval, input.Round).ConfigureAwait(false);
            await auditor.EscalatedAsync(approval).ConfigureAwait(false);
        }

        if (approval.Decision is { } decision && ApprovalStatuses.IsDecided(approval.Status))
        {
            if (decision.Channel == ApprovalResolver.TimeoutChannel)
            {
                await auditor.ExpiredAsync(approval, approval.Round).ConfigureAwait(false);
            }

            await auditor.ResolvedAsync(approval).ConfigureAwait(false);
        }

        return true;
    }
}
