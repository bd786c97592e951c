using System.Text.Json.Nodes;
using Ratify.Functions.Events;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>A run with every step of its workflow version, in definition order, with outputs and artifacts.</summary>
/// <param name="Error">Why the run failed or was cancelled (<c>{code, message}</c>); null otherwise.</param>
/// <param name="ReplayOf">The run this one replays; null when it is not a replay.</param>
/// <param name="Seq">The number of the run's last event this answer includes (also the response's <c>ETag</c>): follow
/// <c>/v1/runs/{runId}/stream?after={seq}</c> to miss nothing after it.</param>
public sealed record RunResponse(
    string RunId,
    string WorkflowId,
    int Version,
    string Status,
    JsonNode? Input,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    RunError? Error,
    string? ReplayOf,
    string CreatedBy,
    IReadOnlyList<RunStepResponse> Steps,
    long? Seq = null)
{
    private static readonly StepProgress NotStarted = new(StepStatuses.Pending, 0, null, null, null, null);

    /// <summary>The response for <paramref name="run"/>, whose steps are those of <paramref name="definition"/>.</summary>
    /// <param name="executions">Per step, how many times its latest attempt executed (<see cref="StepAttemptStore"/>).</param>
    public static RunResponse From(
        LiveRun run, WorkflowDefinition definition, IReadOnlyDictionary<string, JsonNode?> outputs, IReadOnlyList<ArtifactInfo> artifacts,
        IReadOnlyDictionary<string, int> executions,
        IReadOnlyDictionary<string, string>? approvalStatuses = null)
    {
        ArgumentNullException.ThrowIfNull(executions);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(artifacts);
        var recorded = RunView.RecordedSteps(run);
        var byStep = artifacts.ToLookup(a => a.StepId, StringComparer.Ordinal);
        var steps = definition.Steps.Select(step =>
        {
            var progress = recorded.GetValueOrDefault(step.Id) ?? NotStarted;
            var executed = progress.ReusedFrom is null && executions.TryGetValue(step.Id, out var count) ? count : (int?)null;
            return new RunStepResponse(step.Id, progress.Status, progress.Attempts, executed, progress.StartedAt, progress.CompletedAt,
                outputs.GetValueOrDefault(step.Id), progress.Error, progress.ReusedFrom,
                [.. byStep[step.Id].OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => ArtifactResponse.From(run.RunId, a))],
                progress.ApprovalId is { } approvalId
                    ? new RunStepApproval(approvalId, approvalStatuses?.GetValueOrDefault(approvalId) ?? Approvals.ApprovalStatuses.Pending)
                    : null);
        });

        var record = run.Record;
        return new RunResponse(record.RunId, record.WorkflowId, record.Version, run.Status, record.Input, record.CreatedAt, run.CompletedAt,
            run.Error, record.ReplayOf, record.CreatedBy, [.. steps]);
    }

    /// <summary>The response from a run's snapshot, with what it marks as held elsewhere filled in.</summary>
    /// <param name="input">The run's input (the snapshot's, or the row's when the snapshot omits it).</param>
    /// <param name="outputs">The outputs the snapshot omits, by step, as read from storage.</param>
    /// <param name="artifacts">Every artifact of the run when the snapshot omits some (a replay's reused steps); null otherwise.</param>
    internal static RunResponse From(RunSnapshot snapshot, JsonNode? input, IReadOnlyDictionary<string, JsonNode?> outputs, IReadOnlyList<ArtifactInfo>? artifacts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(outputs);
        var listed = artifacts?.ToLookup(a => a.StepId, StringComparer.Ordinal);
        var steps = snapshot.Steps.Select(step =>
        {
            var stepArtifacts = listed is not null
                ? listed[step.Id].OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => ArtifactResponse.From(snapshot.RunId, a))
                : step.Artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => ArtifactResponse.From(
                    snapshot.RunId, new ArtifactInfo(step.Id, a.Name, a.Type, a.MediaType, a.Size, a.Sha256, a.CreatedAt)));
            return new RunStepResponse(step.Id, step.Status, step.Attempts, step.ReusedFrom is null ? step.Executions : null, step.StartedAt, step.CompletedAt,
                step.OutputOmitted ? outputs.GetValueOrDefault(step.Id)?.DeepClone() : step.Output?.DeepClone(), step.Error, step.ReusedFrom, [.. stepArtifacts],
                step.ApprovalId is { } approvalId ? new RunStepApproval(approvalId, step.ApprovalStatus ?? Approvals.ApprovalStatuses.Pending) : null);
        });

        return new RunResponse(snapshot.RunId, snapshot.WorkflowId, snapshot.Version, snapshot.Status, input?.DeepClone(), snapshot.CreatedAt, snapshot.CompletedAt,
            snapshot.Error, snapshot.ReplayOf, snapshot.CreatedBy, [.. steps], snapshot.Seq);
    }
}
