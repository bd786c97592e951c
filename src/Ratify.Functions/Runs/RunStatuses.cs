namespace Ratify.Functions.Runs;

/// <summary>The statuses of a run, as the API spells them.</summary>
public static class RunStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string WaitingApproval = "waiting_approval";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Pending, Running, WaitingApproval, Paused, Completed, Failed, Cancelled,
    };

    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled;
}
