using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Audit;

/// <summary>The records a step attempt writes about itself: its start when it acts outside its activity, its outcome, and every artifact it stored.</summary>
/// <remarks>
/// Written from inside <see cref="ExecuteStepActivity"/> before it returns, so the orchestrator never acts on an outcome
/// that has no record. An attempt that acts on nothing outside its activity (a transform, a skipped step, one that fails
/// before its connector is called) writes one record, its outcome, carrying <c>startedAt</c>: a started record written
/// ahead of it would announce no effect. One that calls a connector, stores an artifact or fails unexpectedly writes
/// <c>step.attempt.started</c> first, before the call, and its outcome record then has no <c>startedAt</c>. Record ids are
/// derived from run, step and attempt; an attempt executed again (the runtime runs activities at least once) finds its
/// records already there and appends nothing.
/// </remarks>
public sealed class StepAuditor(AuditTrail trail, TimeProvider time)
{
    // Keyed by the activity's input instance (one per execution), so that the activity carries no handle of its own.
    private readonly ConditionalWeakTable<StepExecution, AttemptStart> _starts = [];

    /// <summary>Notes when the attempt started; nothing is written until it acts outside its activity or ends.</summary>
    public void BeginAttempt(StepExecution step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _starts.AddOrUpdate(step, new AttemptStart(AuditRows.FormatTime(time.GetUtcNow())));
    }

    /// <summary>
    /// Writes <c>step.attempt.started</c> unless this execution already did: before the attempt acts on the world (a
    /// connector call), stores an artifact, or fails in a way its outcome record cannot tell.
    /// </summary>
    public async Task AttemptStartedAsync(StepExecution step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_starts.TryGetValue(step, out var start) && start.Written)
        {
            return;
        }

        await AppendAsync(step, AuditTypes.StepAttemptStarted, "started", Data(step)).ConfigureAwait(false);
        _starts.AddOrUpdate(step, (start ?? new AttemptStart(null)) with { Written = true });
    }

    public Task AttemptEndedAsync(StepExecution step, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(outcome);
        var data = Data(step);
        if (_starts.TryGetValue(step, out var start) && !start.Written && start.Time is { } startedAt)
        {
            data["startedAt"] = startedAt; // the one record of an attempt that wrote no started record
        }

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

    public async Task ArtifactWrittenAsync(StepExecution step, ArtifactInfo artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);

        // An artifact record sits between the attempt's start and its end, as every record the attempt writes does.
        await AttemptStartedAsync(step).ConfigureAwait(false);
        var data = Data(step);
        data["name"] = artifact.Name;
        data["type"] = artifact.Type;
        data["size"] = artifact.Size;
        data["sha256"] = artifact.Sha256;
        await AppendAsync(step, AuditTypes.ArtifactWritten, "artifact/" + artifact.Name, data).ConfigureAwait(false);
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

    /// <summary>When an execution of an attempt began (as record times are written), and whether its started record is written.</summary>
    private sealed record AttemptStart(string? Time, bool Written = false);
}
