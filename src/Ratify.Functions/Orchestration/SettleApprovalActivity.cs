using System.Text.Json;
using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Settles a gate after its event arrived or its timer fired: applies the timeout policy (reject, approve, or escalate once),
/// stores the decision as the step's output and tells the orchestrator how the step ended.
/// </summary>
/// <remarks>Idempotent: a decision is made once (ETag-guarded), and the output written again is the same decision.</remarks>
public sealed class SettleApprovalActivity(ApprovalStore approvals, ApprovalResolver resolver, StepResultStore results, TimeProvider time)
    : TaskActivity<ApprovalStep, ApprovalProgress>
{
    public const string Name = nameof(SettleApprovalActivity);
    public const string RejectedCode = "approval_rejected";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override async Task<ApprovalProgress> RunAsync(TaskActivityContext context, ApprovalStep input)
    {
        var execution = input.Execution;
        var approval = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Approval {input.ApprovalId} has no record.");
        if (approval.Status == ApprovalStatuses.Pending && input.TimedOut && approval.ExpiresAt <= time.GetUtcNow())
        {
            approval = await TimeOutAsync(approval).ConfigureAwait(false);
            if (approval.Status == ApprovalStatuses.Pending)
            {
                return new ApprovalProgress(null, approval.ExpiresAt, Round: approval.Round);
            }
        }

        switch (approval.Status)
        {
            case ApprovalStatuses.Pending:
                return new ApprovalProgress(null, approval.ExpiresAt, Round: approval.Round);
            case ApprovalStatuses.Cancelled:
                return new ApprovalProgress(StepOutcome.Failed("approval_cancelled", $"The approval of step '{execution.StepId}' was cancelled.", retryable: false), null);
        }

        var decision = approval.Decision!;
        await results.SaveOutputAsync(execution.RunId, execution.StepId, JsonSerializer.SerializeToNode(decision, Json)).ConfigureAwait(false);
        return new ApprovalProgress(OutcomeOf(execution.StepId, decision.Decision, decision.DecidedBy, decision.Note), null);
    }

    /// <summary>The step's outcome for a decision: completed when approved, failed with <see cref="RejectedCode"/> when rejected.</summary>
    public static StepOutcome OutcomeOf(string stepId, string decision, string? decidedBy, string? note)
    {
        if (decision == ApprovalResolver.Approve)
        {
            return StepOutcome.Completed;
        }

        var because = string.IsNullOrWhiteSpace(note) ? "" : $": {note}";
        return StepOutcome.Failed(RejectedCode, $"Step '{stepId}' was rejected by {decidedBy}{because}", retryable: false);
    }

    private async Task<ApprovalRecord> TimeOutAsync(ApprovalRecord approval)
    {
        var canEscalate = approval.OnTimeout == "escalate" && approval.Round == 0 && approval.EscalateTo.Count > 0;
        if (canEscalate)
        {
            var now = time.GetUtcNow();
            var escalated = await approvals.UpdateAsync(approval.TenantId, approval.ApprovalId, current =>
                current.Status != ApprovalStatuses.Pending || current.Round > 0
                    ? ((ApprovalRecord?)null, 0)
                    : (current with
                    {
                        Round = 1,
                        Approvers = [.. current.Approvers.Concat(current.EscalateTo).Distinct(StringComparer.OrdinalIgnoreCase)],
                        ExpiresAt = now + (Workflows.IsoDuration.TryParse(current.Timeout, out var timeout) ? timeout : TimeSpan.FromDays(1)),
                    }, 0)).ConfigureAwait(false);
            return escalated?.Approval ?? approval;
        }

        var decision = approval.OnTimeout == "approve" ? ApprovalResolver.Approve : ApprovalResolver.Reject;
        var note = approval.Round > 0 ? "no decision after escalation before the timeout" : "no decision before the timeout";
        return await resolver.DecideByPolicyAsync(approval.TenantId, approval.ApprovalId, decision, ApprovalResolver.TimeoutChannel, note).ConfigureAwait(false) ?? approval;
    }
}
