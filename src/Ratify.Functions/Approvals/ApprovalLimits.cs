namespace Ratify.Functions.Approvals;

/// <summary>The bounds an approval gate stays within.</summary>
public static class ApprovalLimits
{
    /// <summary>Most identities in <c>approvers</c> or <c>escalateTo</c>: 20.</summary>
    public const int MaxApprovers = 20;

    /// <summary>Most entries in a gate's <c>notify</c>: 10.</summary>
    public const int MaxNotifications = 10;

    /// <summary>Longest rendered message kept on an approval: 4,000 characters.</summary>
    public const int MaxMessageLength = 4000;

    /// <summary>Longest note a decision may carry: 2,000 characters.</summary>
    public const int MaxNoteLength = 2000;
}
