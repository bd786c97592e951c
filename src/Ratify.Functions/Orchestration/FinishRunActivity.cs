using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;
using Ratify.Functions.Telemetry;

namespace Ratify.Functions.Orchestration;

/// <summary>Records a run's final status in the Runs table, where listings read it, and voids the links of gates that were still waiting.</summary>
public sealed class FinishRunActivity(RunStore runs, ApprovalStore approvals, TimeProvider time) : TaskActivity<RunFinish, bool>
{
    public const string Name = nameof(FinishRunActivity);

    public override async Task<bool> RunAsync(TaskActivityContext context, RunFinish input)
    {
        foreach (var approvalId in input.OpenApprovals ?? [])
        {
            await approvals.UpdateAsync(input.TenantId, approvalId, current => current.Status == ApprovalStatuses.Pending
                ? (current with { Status = ApprovalStatuses.Cancelled }, 0)
                : ((ApprovalRecord?)null, 0)).ConfigureAwait(false);
        }

        var known = input is { RowETag: { } tag, WorkflowId: { } workflowId, Version: { } version }
            ? new KnownRunRow(tag, RunStatuses.Running, workflowId, version)
            : null;
        await runs.UpdateStatusAsync(input.TenantId, input.RunId, input.Status, time.GetUtcNow(), input.Error, steps: input.Steps, known: known).ConfigureAwait(false);
        RunMetrics.RunFinished(input.WorkflowId, input.Status);
        return true;
    }
}
