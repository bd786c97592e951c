using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>The orchestrator's side of the audit trail: schedules a <see cref="RecordAuditActivity"/> for each decision.</summary>
/// <remarks>
/// Deterministic: record ids are built from the execution id (a replay-safe GUID drawn once per execution), the step and
/// the attempt. Records are scheduled without waiting, so they cost the run no latency; <see cref="FinishAsync"/> waits
/// for all of them and then appends the sealed <c>run.finished</c> record, so that it is always the chain's last.
/// </remarks>
internal sealed class RunAuditLog(TaskOrchestrationContext context, RunOrchestrationInput input)
{
    /// <summary>The code a run fails with when its audit records could not be written.</summary>
    public const string UnavailableCode = "audit_unavailable";

    private readonly TaskOptions _retry = TaskOptions.FromRetryPolicy(new RetryPolicy(input.AuditAttempts ?? 10, TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(30)));
    private readonly List<Task> _pending = [];

    /// <summary>Tells this execution's records from a retried execution's.</summary>
    public string ExecutionId { get; } = context.NewGuid().ToString("N")[..16];

    public void StepSkipped(string stepId, string reason) =>
        Record($"step/{stepId}/skipped", AuditTypes.StepSkipped, new JsonObject { ["stepId"] = stepId, ["reason"] = reason });

    public void StepTimedOut(string stepId, int attempt, string timeout) =>
        Record($"step/{stepId}/{attempt}/timed_out", AuditTypes.StepTimedOut, new JsonObject { ["stepId"] = stepId, ["attempt"] = attempt, ["timeout"] = timeout });

    public void StepRetrying(string stepId, int attempt, TimeSpan delay, string? errorCode) =>
        Record($"step/{stepId}/{attempt}/retrying", AuditTypes.StepRetrying, new JsonObject
        {
            ["stepId"] = stepId,
            ["attempt"] = attempt,
            ["nextAttempt"] = attempt + 1,
            ["delay"] = delay.ToString("c"),
            ["errorCode"] = errorCode,
        });

    public void StepCancelled(string stepId) =>
        Record($"step/{stepId}/cancelled", AuditTypes.StepCancelled, new JsonObject { ["stepId"] = stepId });

    /// <summary>Records what a gate acted on, or voids the links of a gate the run left waiting (<see cref="RecordApprovalActivity"/>).</summary>
    public void Approval(string approvalId, string @event, int round = 0) =>
        _pending.Add(context.CallActivityAsync<bool>(RecordApprovalActivity.Name, new ApprovalAuditEntry(input.TenantId, approvalId, @event, round), _retry));

    /// <summary>
    /// Waits for every record scheduled so far, then appends <c>run.finished</c> and signs the chain's head. Returns the error
    /// the run must end with instead when a record could not be written after every retry: a run whose audit is incomplete
    /// ends failed and says so, rather than finishing as if it were whole or staying running for ever.
    /// </summary>
    public async Task<RunError?> FinishAsync(string status, string? errorCode, string? errorMessage)
    {
        RunError? failure = null;
        try
        {
            await Task.WhenAll(_pending);
        }
        catch (TaskFailedException)
        {
            failure = new RunError(UnavailableCode, "The run's audit records could not be written (storage unavailable); the run was stopped as failed.");
            (status, errorCode, errorMessage) = (RunStatuses.Failed, failure.Code, failure.Message);
        }

        var data = new JsonObject { ["status"] = status, ["executionId"] = ExecutionId, ["errorCode"] = errorCode, ["errorMessage"] = errorMessage };
        try
        {
            await context.CallActivityAsync<long>(RecordAuditActivity.Name,
                new AuditEntry(input.TenantId, input.RunId, $"{ExecutionId}/finished", AuditTypes.RunFinished, data, Seal: true), _retry);
        }
        catch (TaskFailedException)
        {
            failure = new RunError(UnavailableCode, "The run's final audit record could not be written (storage unavailable); the run was stopped as failed.");
        }

        return failure;
    }

    private void Record(string id, string type, JsonObject data)
    {
        data["executionId"] = ExecutionId;
        _pending.Add(context.CallActivityAsync<long>(RecordAuditActivity.Name, new AuditEntry(input.TenantId, input.RunId, $"{ExecutionId}/{id}", type, data), _retry));
    }
}
