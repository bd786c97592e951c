namespace Ratify.Functions.Approvals;

/// <summary>The event a run waits for at a gate: its name is bound to the approval; it carries the stored decision.</summary>
/// <remarks>The decision and the step's output are stored before the event is raised, so the run can go on without reading them again.</remarks>
public sealed record ApprovalSignal(string ApprovalId, string Decision, string? DecidedBy = null, string? Note = null)
{
    /// <summary>The external event name of <paramref name="approvalId"/>'s decision.</summary>
    public static string EventName(string approvalId) => "approval:" + approvalId;
}
