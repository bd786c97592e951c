using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>Folds a run's events, in sequence order, into its <see cref="RunSnapshot"/>: pure and deterministic.</summary>
/// <remarks>
/// A snapshot starts at a <c>run.started</c> event that lists the steps; before one there is none. Steps never go back: an event
/// of an earlier attempt, or a second start of a finished attempt (a duplicate execution), changes no status. The final run event
/// carries every step's recorded progress, which overrides what the step events said, so steps that published nothing
/// (skipped for a dependency, cancelled with the run) and step events that were lost are corrected at the end.
/// </remarks>
internal static class RunSnapshotFold
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The snapshot after <paramref name="e"/>; null while the run has none. <paramref name="snapshot"/> is changed in place.</summary>
    public static RunSnapshot? Apply(RunSnapshot? snapshot, RunEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = e.Data;
        if (e.Type.StartsWith("run.", StringComparison.Ordinal) && data["steps"] is JsonArray stepIds)
        {
            snapshot = Start(e, stepIds);
        }

        if (snapshot is null)
        {
            return null;
        }

        snapshot.Seq = e.Seq;
        if (e.Type.StartsWith("run.", StringComparison.Ordinal))
        {
            ApplyRun(snapshot, e);
            return snapshot;
        }

        var step = data["stepId"]?.GetValue<string>() is { } stepId ? snapshot.Steps.Find(s => s.Id == stepId) : null;
        if (step is null)
        {
            return snapshot;
        }

        switch (e.Type)
        {
            case RunEventTypes.ArtifactCreated:
                AddArtifact(step, data);
                break;
            case RunEventTypes.ApprovalRequested:
                step.ApprovalId = data["approvalId"]?.GetValue<string>();
                step.ApprovalStatus ??= Approvals.ApprovalStatuses.Pending;
                if (step.Status is StepStatuses.Pending or StepStatuses.Running)
                {
                    // A gate publishes no step events of its own: its request is its start.
                    step.Status = StepStatuses.WaitingApproval;
                    step.Attempts = Math.Max(step.Attempts, 1);
                    step.StartedAt ??= e.At;
                }

                break;
            case RunEventTypes.ApprovalResolved:
                step.ApprovalId = data["approvalId"]?.GetValue<string>();
                step.ApprovalStatus = data["status"]?.GetValue<string>();
                break;
            default:
                ApplyStep(step, e);
                break;
        }

        return snapshot;
    }

    private static RunSnapshot Start(RunEvent e, JsonArray stepIds)
    {
        var data = e.Data;
        return new RunSnapshot
        {
            RunId = e.RunId,
            WorkflowId = data["workflowId"]?.GetValue<string>() ?? string.Empty,
            Version = data["version"]?.GetValue<int>() ?? 1,
            Input = data["input"]?.DeepClone(),
            InputOmitted = data["inputOmitted"] is not null,
            CreatedAt = data["createdAt"]?.GetValue<DateTimeOffset>() ?? e.At,
            ReplayOf = data["replayOf"]?.GetValue<string>(),
            CreatedBy = data["createdBy"]?.GetValue<string>() ?? string.Empty,
            Steps = [.. stepIds.Select(id => new RunSnapshotStep { Id = id?.GetValue<string>() ?? string.Empty })],
        };
    }

    private static void ApplyRun(RunSnapshot snapshot, RunEvent e)
    {
        var data = e.Data;
        var status = data["status"]?.GetValue<string>() ?? snapshot.Status;
        var reopened = e.Type == RunEventTypes.RunStarted;
        if (RunStatuses.IsTerminal(snapshot.Status) && !RunStatuses.IsTerminal(status) && !reopened)
        {
            return; // a late change of a finished run
        }

        if (reopened && RunStatuses.IsTerminal(snapshot.Status))
        {
            // A retry: the steps that did not complete run again from their first attempt.
            for (var i = 0; i < snapshot.Steps.Count; i++)
            {
                if (snapshot.Steps[i].Status != StepStatuses.Completed)
                {
                    snapshot.Steps[i] = new RunSnapshotStep { Id = snapshot.Steps[i].Id };
                }
            }
        }

        snapshot.Status = status;
        if (!RunStatuses.IsTerminal(status))
        {
            snapshot.CompletedAt = null;
            snapshot.Error = null;
            return;
        }

        snapshot.CompletedAt = data["completedAt"]?.GetValue<DateTimeOffset>() ?? e.At;
        snapshot.Error = data["error"]?.Deserialize<RunError>(Json);
        if (data["steps"] is JsonObject final)
        {
            ApplyFinal(snapshot, final);
        }
    }

    private static void ApplyFinal(RunSnapshot snapshot, JsonObject final)
    {
        foreach (var step in snapshot.Steps)
        {
            if (final[step.Id]?.Deserialize<StepProgress>(Json) is not { } progress)
            {
                continue;
            }

            // An output this snapshot did not see may still be stored (a reused step, a delay, an event lost): the reader fetches it.
            // A failure or skip announced by its own event stored none.
            var seen = (step.Status == StepStatuses.Completed && !step.OutputOmitted)
                || (step.Status == progress.Status && step.Status is StepStatuses.Failed or StepStatuses.Skipped);
            if (progress.ReusedFrom is not null || (progress.Attempts > 0 && !seen))
            {
                step.Output = null;
                step.OutputOmitted = true;
            }

            if (progress.ReusedFrom is not null)
            {
                snapshot.ArtifactsOmitted = true;
                step.Executions = null;
            }

            step.Status = progress.Status;
            step.Attempts = progress.Attempts;
            step.StartedAt = progress.StartedAt;
            step.CompletedAt = progress.CompletedAt;
            step.Error = progress.Error;
            step.ReusedFrom = progress.ReusedFrom;
            if (progress.ApprovalId is { } approvalId && approvalId != step.ApprovalId)
            {
                step.ApprovalId = approvalId;
                step.ApprovalStatus = Approvals.ApprovalStatuses.Pending;
            }
        }
    }

    private static void ApplyStep(RunSnapshotStep step, RunEvent e)
    {
        var data = e.Data;
        var attempt = data["attempt"]?.GetValue<int>() ?? step.Attempts;
        if (attempt < step.Attempts)
        {
            return; // an earlier attempt's late event
        }

        var finished = step.Status is StepStatuses.Completed or StepStatuses.Failed or StepStatuses.Skipped or StepStatuses.Cancelled;
        if (e.Type == RunEventTypes.StepStarted)
        {
            if (attempt > step.Attempts)
            {
                step.Attempts = attempt;
                step.Executions = 1;
                step.Status = StepStatuses.Running;
                step.StartedAt ??= e.At;
                step.CompletedAt = null;
            }
            else
            {
                // The same attempt executing again (its host stopped): counted, but a finished step does not go back.
                step.Executions = (step.Executions ?? 0) + 1;
                if (!finished)
                {
                    step.Status = StepStatuses.Running;
                }
            }

            return;
        }

        if (finished && attempt == step.Attempts)
        {
            return;
        }

        step.Attempts = Math.Max(step.Attempts, attempt);
        var error = data["error"]?.Deserialize<RunError>(Json);
        switch (e.Type)
        {
            case RunEventTypes.StepRetrying:
                step.Status = StepStatuses.Running;
                step.Error = error;
                return;
            case "step." + StepStatuses.Completed:
                step.Status = StepStatuses.Completed;
                step.CompletedAt = e.At;
                step.Error = null;
                var inline = data.TryGetPropertyValue("output", out var output);
                step.Output = inline ? output?.DeepClone() : null;
                step.OutputOmitted = !inline;
                return;
            default:
                if (!e.Type.StartsWith("step.", StringComparison.Ordinal))
                {
                    return;
                }

                step.Status = e.Type["step.".Length..];
                if (step.Status is StepStatuses.Failed or StepStatuses.Skipped or StepStatuses.Cancelled)
                {
                    step.CompletedAt = e.At;
                }

                step.Error = error ?? step.Error;
                return;
        }
    }

    private static void AddArtifact(RunSnapshotStep step, JsonObject data)
    {
        var name = data["name"]?.GetValue<string>() ?? string.Empty;
        step.Artifacts.RemoveAll(a => a.Name == name);
        step.Artifacts.Add(new RunSnapshotArtifact(
            name,
            data["type"]?.GetValue<string>() ?? string.Empty,
            data["mediaType"]?.GetValue<string>() ?? string.Empty,
            data["size"]?.Deserialize<long>() ?? 0,
            data["sha256"]?.GetValue<string>() ?? string.Empty,
            data["createdAt"]?.GetValue<DateTimeOffset>() ?? default));
    }
}
