namespace Ratify.Functions.Events;

/// <summary>Event type names: <c>run.&lt;status&gt;</c> and <c>step.&lt;status&gt;</c> for status changes, plus the few events that are not one.</summary>
/// <remarks>
/// Status changes are named after the new status, so a status added later (such as an approval wait) is published
/// without a special case; only the start of a run and a resume from pause have names of their own.
/// </remarks>
public static class RunEventTypes
{
    public const string RunStarted = "run.started";
    public const string RunResumed = "run.resumed";
    public const string StepStarted = "step.started";
    public const string StepRetrying = "step.retrying";
    public const string ArtifactCreated = "artifact.created";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalResolved = "approval.resolved";

    /// <summary>The event of a run moving from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static string RunStatusChanged(string? from, string to) => (from, to) switch
    {
        ("paused", "running") => RunResumed,

        // Back from waiting at a gate: not a start.
        ("waiting_approval", "running") => "run.running",
        (_, "running") => RunStarted,
        _ => "run." + to,
    };

    /// <summary>The event of a step reaching <paramref name="status"/>.</summary>
    public static string StepStatusChanged(string status) => "step." + status;

    /// <summary>Whether the event ends the run's stream (the run reached a final status).</summary>
    public static bool IsFinal(string type) => type is "run.completed" or "run.failed" or "run.cancelled";
}
