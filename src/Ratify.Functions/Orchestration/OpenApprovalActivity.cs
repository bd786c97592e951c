using System.Text.Json.Nodes;
using Ratify.Connectors;
using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Reaches a gate: evaluates its condition and auto-approval, renders its message, hashes the artifacts it shows and records
/// the approval. Returns the outcome when the gate passes at once, otherwise when it times out.
/// </summary>
/// <remarks>
/// Runs at least once: the approval id comes from the orchestrator, so a repeat finds the approval it wrote (and records the
/// request in the audit chain if the first run stopped before it did).
/// </remarks>
public sealed class OpenApprovalActivity(
    WorkflowStore workflows,
    RunScopeReader scopes,
    StepResultStore results,
    ApprovalStore approvals,
    ApprovalResolver resolver,
    ApprovalAuditor auditor,
    ExpressionEngine expressions,
    ISecretStore secrets,
    TimeProvider time) : TaskActivity<ApprovalStep, ApprovalProgress>
{
    public const string Name = nameof(OpenApprovalActivity);

    public override async Task<ApprovalProgress> RunAsync(TaskActivityContext context, ApprovalStep input)
    {
        var execution = input.Execution;
        var existing = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false);
        if (existing is not null)
        {
            // A repeat of this activity: the first run may have stopped before recording the request.
            await auditor.RequestedAsync(existing).ConfigureAwait(false);
            return new ApprovalProgress(null, existing.ExpiresAt, ApprovalStatuses.IsDecided(existing.Status), existing.Round);
        }

        var definition = await workflows.GetDefinitionAsync(execution.TenantId, execution.WorkflowId, execution.Version).ConfigureAwait(false);
        var step = definition.Steps.Single(s => s.Id == execution.StepId);
        var scope = await scopes.ReadAsync(execution).ConfigureAwait(false);
        try
        {
            if (step.If is { } condition && !expressions.EvaluateCondition(condition, scope, secrets.Get))
            {
                return new ApprovalProgress(StepOutcome.Skipped, null);
            }

            var with = expressions.RenderTemplate(step.With ?? [], scope, secrets.Get) as JsonObject;
            var settings = ApprovalSettings.From(step.Id, with);
            var autoApproved = settings.AutoApprove is { } rule && expressions.EvaluateCondition(rule, scope, secrets.Get);
            var approval = await CreateAsync(input, settings, secrets.Redact(settings.Message), autoApproved).ConfigureAwait(false);
            await auditor.RequestedAsync(approval).ConfigureAwait(false);
            if (autoApproved)
            {
                var decided = await resolver.DecideByPolicyAsync(approval.TenantId, approval.ApprovalId, ApprovalResolver.Approve, ApprovalResolver.AutoApproveChannel,
                    $"autoApprove: {settings.AutoApprove}").ConfigureAwait(false);
                return new ApprovalProgress(null, null, Decided: decided is not null);
            }

            return new ApprovalProgress(null, approval.ExpiresAt);
        }
        catch (ExpressionEvaluationException e)
        {
            return new ApprovalProgress(StepOutcome.Failed("expression_error", secrets.Redact(e.Message), retryable: false), null);
        }
    }

    private async Task<ApprovalRecord> CreateAsync(ApprovalStep input, ApprovalSettings settings, string message, bool autoApproved)
    {
        var execution = input.Execution;
        var shown = new List<ApprovalArtifact>();
        foreach (var (stepId, name) in settings.ShowArtifacts)
        {
            // An artifact of a skipped step does not exist: the gate shows what there is.
            if (await results.GetArtifactAsync(execution.RunId, stepId, name).ConfigureAwait(false) is { } artifact)
            {
                shown.Add(new ApprovalArtifact(stepId, name, artifact.Info.Type, artifact.Info.Size, artifact.Info.Sha256));
            }
        }

        var run = await scopes.RunAsync(execution.TenantId, execution.RunId).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var expiresAt = autoApproved ? null : now + settings.TimeoutSpan;
        var approval = new ApprovalRecord(execution.TenantId, input.ApprovalId, execution.RunId, execution.StepId, execution.WorkflowId, execution.Version,
            run.CreatedBy, ApprovalStatuses.Pending, message, shown, settings.Approvers, settings.Quorum, settings.AllowSelfApproval, settings.OnTimeout,
            settings.EscalateTo, settings.Timeout, now, expiresAt, 0, 0, [], null, [], Raised: false);
        return await approvals.CreateAsync(approval).ConfigureAwait(false);
    }
}
