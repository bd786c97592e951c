using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>A run as it stands now: its row, merged with its orchestration's live state when the orchestration still exists.</summary>
/// <param name="Record">The Runs table row.</param>
/// <param name="RuntimeStatus">The orchestration's runtime status; null when there is no orchestration (purged, or never scheduled).</param>
/// <param name="Progress">The progress the orchestrator last published; null before its first step or without an orchestration.</param>
/// <param name="Status">The run status the API reports.</param>
/// <param name="Error">Why the run failed or was cancelled; null while it is not finished.</param>
/// <param name="CompletedAt">When it finished; null while it is not finished.</param>
public sealed record LiveRun(
    RunRecord Record,
    OrchestrationRuntimeStatus? RuntimeStatus,
    RunProgress? Progress,
    string Status,
    RunError? Error,
    DateTimeOffset? CompletedAt)
{
    /// <summary>The run id (the orchestration instance id).</summary>
    public string RunId => Record.RunId;

    /// <summary>True when the orchestration has stopped executing (or is gone), so that it can be scheduled again.</summary>
    public bool IsSettled => RuntimeStatus is null or OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>Merges the row with the orchestration: a suspended instance is <c>paused</c>, otherwise the orchestrator's progress decides.</summary>
    public static LiveRun Of(RunRecord record, OrchestrationMetadata? instance)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (instance is null)
        {
            return new LiveRun(record, null, null, record.Status, Finished(record.Status) ? record.Error : null, Finished(record.Status) ? record.CompletedAt : null);
        }

        var progress = instance.ReadCustomStatusAs<RunProgress>();
        var status = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Suspended => RunStatuses.Paused,

            // The orchestrator publishes its final status before it returns; an orchestration that stopped without one crashed or was terminated.
            OrchestrationRuntimeStatus.Failed when !Finished(progress?.Status) => RunStatuses.Failed,
            OrchestrationRuntimeStatus.Terminated when !Finished(progress?.Status) => RunStatuses.Cancelled,
            OrchestrationRuntimeStatus.Completed when !Finished(progress?.Status) => RunStatuses.Completed,
            _ => progress?.Status ?? record.Status,
        };

        if (!Finished(status))
        {
            return new LiveRun(record, instance.RuntimeStatus, progress, status, null, null);
        }

        var error = status == RunStatuses.Completed ? null : progress?.Error ?? RowError(record) ?? InstanceError(instance);
        var completedAt = (Finished(record.Status) ? record.CompletedAt : null) ?? instance.LastUpdatedAt;
        return new LiveRun(record, instance.RuntimeStatus, progress, status, error, completedAt);
    }

    private static bool Finished(string? status) => status is not null && RunStatuses.IsTerminal(status);

    private static RunError? RowError(RunRecord record) => Finished(record.Status) ? record.Error : null;

    // The failure's own message stays in the host's log: it describes the engine, not the caller's workflow.
    private static RunError? InstanceError(OrchestrationMetadata instance) => instance.RuntimeStatus switch
    {
        OrchestrationRuntimeStatus.Failed => new RunError("orchestration_failed", "The run's orchestration failed unexpectedly; the host's log has the details."),
        OrchestrationRuntimeStatus.Terminated => new RunError("terminated", "The run's orchestration was terminated."),
        _ => null,
    };
}
