namespace Ratify.Functions.Approvals;

/// <summary>The event a run waits for at a gate: its name is bound to the approval, its content says only which way it went.</summary>
public sealed record ApprovalSignal(string ApprovalId, string Decision)
{
    /// <summary>The external event name of <paramref name="approvalId"/>'s decision.</summary>
    public static string EventName(string approvalId) => "approval:" + approvalId;
}
