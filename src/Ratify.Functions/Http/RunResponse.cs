using System.Text.Json.Nodes;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>A run with every step of its workflow version, in definition order, with outputs and artifacts.</summary>
/// <param name="Error">Why the run failed or was cancelled (<c>{code, message}</c>); null otherwise.</param>
/// <param name="ReplayOf">The run this one replays; null when it is not a replay.</param>
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
    IReadOnlyList<RunStepResponse> Steps)
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
}
