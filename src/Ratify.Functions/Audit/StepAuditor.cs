using System.Text.Json.Nodes;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Audit;

/// <summary>The records a step attempt writes about itself: started, its outcome, and every artifact it stored.</summary>
/// <remarks>
/// Written from inside <see cref="ExecuteStepActivity"/> before it returns, so the orchestrator never acts on an outcome
/// that has no record. Record ids are derived from run, step and attempt; an attempt executed again (the runtime runs
/// activities at least once) finds its records already there and appends nothing.
/// </remarks>
public sealed class StepAuditor(AuditTrail trail)
{
    public Task AttemptStartedAsync(StepExecution step) =>
        AppendAsync(step, AuditTypes.StepAttemptStarted, "started", Data(step));

    public Task AttemptEndedAsync(StepExecution step, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var data = Data(step);
        switch (outcome.Kind)
        {
            case StepOutcome.FailedKind when outcome.Error?.Code == StepOutcome.LateCode:
                return AppendAsync(step, AuditTypes.StepResultLate, "ended", data);
            case StepOutcome.FailedKind when outcome.Error?.Code == StepOutcome.CancelledCode:
                data["reason"] = outcome.Error.Message;
                return AppendAsync(step, AuditTypes.StepAttemptCancelled, "ended", data);
            case StepOutcome.FailedKind:
                data["error"] = new JsonObject { ["code"] = outcome.Error?.Code, ["message"] = outcome.Error?.Message };
                data["retryable"] = outcome.Retryable;
                return AppendAsync(step, AuditTypes.StepAttemptFailed, "ended", data);
            case StepOutcome.SkippedKind:
                data["reason"] = "condition_false";
                return AppendAsync(step, AuditTypes.StepSkipped, "ended", data);
            case StepOutcome.DelayKind:
                data["waiting"] = outcome.Delay?.ToString("c");
                return AppendAsync(step, AuditTypes.StepAttemptCompleted, "ended", data);
            default:
                return AppendAsync(step, AuditTypes.StepAttemptCompleted, "ended", data);
        }
    }

    public Task ArtifactWrittenAsync(StepExecution step, ArtifactInfo artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var data = Data(step);
        data["name"] = artifact.Name;
        data["type"] = artifact.Type;
        data["size"] = artifact.Size;
        data["sha256"] = artifact.Sha256;
        return AppendAsync(step, AuditTypes.ArtifactWritten, "artifact/" + artifact.Name, data);
    }

    private static JsonObject Data(StepExecution step) => new() { ["stepId"] = step.StepId, ["attempt"] = step.Attempt, ["executionId"] = step.ExecutionId };

    private Task AppendAsync(StepExecution step, string type, string suffix, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(step);

        // Retries of the whole run start attempts again from 1: the run's start time (kept across retries) cannot tell them
        // apart, the execution id can.
        var id = $"step/{step.ExecutionId}/{step.StepId}/{step.Attempt}/{suffix}";
        return trail.AppendAsync(AuditScopes.Run(step.TenantId, step.RunId), type, AuditActor.System, data, id);
    }
}
