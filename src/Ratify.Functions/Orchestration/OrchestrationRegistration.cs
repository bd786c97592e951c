using Microsoft.DurableTask;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Orchestration;

/// <summary>Registers the run orchestrator and its activities with the durable runtime.</summary>
public static class OrchestrationRegistration
{
    public static DurableTaskRegistry AddRatifyOrchestration(this DurableTaskRegistry registry) =>
        registry
            .AddOrchestrator<RunOrchestrator>(RunOrchestrator.Name)
            .AddActivity<ExecuteStepActivity>(ExecuteStepActivity.Name)
            .AddActivity<ReuseStepActivity>(ReuseStepActivity.Name)
            .AddActivity<FinishRunActivity>(FinishRunActivity.Name)
            .AddActivity<PublishStepEventActivity>(PublishStepEventActivity.Name)
            .AddActivity<OpenApprovalActivity>(OpenApprovalActivity.Name)
            .AddActivity<NotifyApprovalActivity>(NotifyApprovalActivity.Name)
            .AddActivity<SettleApprovalActivity>(SettleApprovalActivity.Name)
            .AddActivity<RecordAuditActivity>(RecordAuditActivity.Name)
            .AddActivity<RecordApprovalActivity>(RecordApprovalActivity.Name)
            .AddActivity<SetRunStatusActivity>(SetRunStatusActivity.Name);
}
