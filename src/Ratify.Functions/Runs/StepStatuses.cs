namespace Ratify.Functions.Runs;

/// <summary>The statuses of a step within a run.</summary>
public static class StepStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string WaitingApproval = "waiting_approval";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    /// <summary>True once the step will not change any more in this run.</summary>
    public static bool IsFinal(string status) => status is Completed or Failed or Skipped or Cancelled;
}
