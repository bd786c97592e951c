using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Approvals;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>Turns what happens to runs and steps into events with enough data that a client needs no extra read.</summary>
public sealed class RunEventPublisher(RunEventLog log)
{
    /// <summary>Outputs up to this many characters of JSON travel inside <c>step.completed</c>; larger ones are read from the run.</summary>
    public const int MaxInlineOutput = 8_000;

    /// <summary>A run's status changed from <paramref name="from"/> (null: the run was just created) to <paramref name="to"/>.</summary>
    /// <param name="stepIds">At a run's creation: its steps in definition order, so that the event starts the run's snapshot.</param>
    /// <param name="steps">At a run's end: every step's recorded progress, which corrects steps whose own events were not published.</param>
    /// <param name="newRun">The run's row was just created: this is the run's first event.</param>
    public Task RunStatusChangedAsync(
        RunRecord run, string? from, string to, RunError? error, CancellationToken cancellationToken = default,
        IReadOnlyList<string>? stepIds = null, IReadOnlyDictionary<string, StepProgress>? steps = null, bool newRun = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var data = new JsonObject { ["status"] = to, ["workflowId"] = run.WorkflowId, ["version"] = run.Version };
        if (from is null && run.CreatedBy.Length > 0)
        {
            data["createdBy"] = run.CreatedBy;
        }

        if (stepIds is not null)
        {
            data["createdAt"] = run.CreatedAt;
            if (run.ReplayOf is not null)
            {
                data["replayOf"] = run.ReplayOf;
            }

            var input = run.Input?.ToJsonString() ?? "null";
            if (input.Length <= MaxInlineOutput)
            {
                data["input"] = run.Input?.DeepClone();
            }
            else
            {
                data["inputOmitted"] = $"the input is {input.Length} characters; read it from /v1/runs/{run.RunId}";
            }

            data["steps"] = new JsonArray([.. stepIds.Select(id => (JsonNode?)id)]);
        }

        if (error is not null)
        {
            data["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        }

        if (RunStatuses.IsTerminal(to) && run.CompletedAt is { } completedAt)
        {
            data["completedAt"] = completedAt;
        }

        if (steps is not null)
        {
            data["steps"] = JsonSerializer.SerializeToNode(steps, RunSnapshotFold.Json);
        }

        return log.AppendAsync(run.TenantId, run.RunId, RunEventTypes.RunStatusChanged(from, to), data, cancellationToken, newRun);
    }

    /// <summary>A step attempt began.</summary>
    public Task StepStartedAsync(StepExecution step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return log.AppendAsync(step.TenantId, step.RunId, RunEventTypes.StepStarted, StepData(step), cancellationToken);
    }

    /// <summary>A step attempt ended with <paramref name="outcome"/>: its artifacts, then the step's own event.</summary>
    public async Task StepFinishedAsync(StepExecution step, StepOutcome outcome, StepReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(report);
        var artifacts = new JsonArray();
        foreach (var artifact in report.Artifacts)
        {
            var reference = Artifact(step.RunId, artifact);
            artifacts.Add(reference.DeepClone());
            await log.AppendAsync(step.TenantId, step.RunId, RunEventTypes.ArtifactCreated, reference, cancellationToken).ConfigureAwait(false);
        }

        var data = StepData(step);
        string type;
        switch (outcome.Kind)
        {
            case StepOutcome.CompletedKind:
                type = RunEventTypes.StepStatusChanged(StepStatuses.Completed);
                var json = report.Output?.ToJsonString() ?? "null";
                if (json.Length <= MaxInlineOutput)
                {
                    data["output"] = report.Output?.DeepClone();
                }
                else
                {
                    data["outputOmitted"] = $"the output is {json.Length} characters; read it from /v1/runs/{step.RunId}";
                }

                data["artifacts"] = artifacts;
                break;
            case StepOutcome.SkippedKind:
                type = RunEventTypes.StepStatusChanged(StepStatuses.Skipped);
                break;
            case StepOutcome.FailedKind:
                type = outcome.Retryable && step.Attempt < report.MaxAttempts
                    ? RunEventTypes.StepRetrying
                    : RunEventTypes.StepStatusChanged(StepStatuses.Failed);
                data["error"] = new JsonObject { ["code"] = outcome.Error?.Code, ["message"] = outcome.Error?.Message };
                break;
            default:
                return; // a delay: the step goes on waiting on the orchestration's timer
        }

        await log.AppendAsync(step.TenantId, step.RunId, type, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A step status the orchestrator decided (a delay's end, a timeout); throws when storage stays down, so that the activity is retried.</summary>
    public Task<RunEvent> StepSettledAsync(StepSettled settled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settled);
        var data = new JsonObject { ["stepId"] = settled.StepId, ["attempt"] = settled.Attempt };
        if (settled.Error is { } error)
        {
            data["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        }

        return log.AppendOrThrowAsync(settled.TenantId, settled.RunId, settled.EventType, data, cancellationToken);
    }

    /// <summary>A gate asked for a decision; the stream adds the links to act on it for keys that may resolve.</summary>
    public Task ApprovalRequestedAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = ApprovalData(approval);
        data["message"] = approval.Message;
        data["approvers"] = new JsonArray([.. approval.Approvers.Select(a => (JsonNode?)a)]);
        data["quorum"] = approval.Quorum;
        data["expiresAt"] = approval.ExpiresAt;
        data["artifacts"] = new JsonArray([.. approval.Artifacts.Select(a => (JsonNode?)new JsonObject
        {
            ["stepId"] = a.StepId,
            ["name"] = a.Name,
            ["sha256"] = a.Sha256,
        })]);
        return log.AppendAsync(approval.TenantId, approval.RunId, RunEventTypes.ApprovalRequested, data, cancellationToken);
    }

    /// <summary>A gate was decided (by a person, an agent or a policy) or called off with its run.</summary>
    public Task ApprovalResolvedAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var data = ApprovalData(approval);
        data["status"] = approval.Status;
        if (approval.Decision is { } decision)
        {
            data["decidedBy"] = decision.DecidedBy;
            data["note"] = decision.Note;
        }

        return log.AppendAsync(approval.TenantId, approval.RunId, RunEventTypes.ApprovalResolved, data, cancellationToken);
    }

    private static JsonObject ApprovalData(ApprovalRecord approval) => new() { ["approvalId"] = approval.ApprovalId, ["stepId"] = approval.StepId };

    private static JsonObject StepData(StepExecution step) => new() { ["stepId"] = step.StepId, ["attempt"] = step.Attempt };

    private static JsonObject Artifact(string runId, ArtifactInfo info) => new()
    {
        ["stepId"] = info.StepId,
        ["name"] = info.Name,
        ["type"] = info.Type,
        ["mediaType"] = info.MediaType,
        ["size"] = info.Size,
        ["sha256"] = info.Sha256,
        ["createdAt"] = info.CreatedAt,
        ["url"] = $"/v1/runs/{runId}/artifacts/{Uri.EscapeDataString(info.StepId)}/{Uri.EscapeDataString(info.Name)}",
    };
}
