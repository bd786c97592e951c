namespace Ratify.Functions.Approvals;

/// <summary>Where an approval stands.</summary>
public static class ApprovalStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>The run was cancelled or ended while the gate waited: its links are void.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Pending, Approved, Rejected, Cancelled };

    /// <summary>Whether a decision has been made (by a person, an agent or a policy).</summary>
    public static bool IsDecided(string status) => status is Approved or Rejected;
}
