namespace Ratify.Functions.Approvals;

/// <summary>How one notification of an approval went.</summary>
/// <param name="Key">Which delivery: the notify entry's index, and the recipient for email (<c>1:alice@example.com</c>).</param>
/// <param name="Round">0 for the first request, 1 after an escalation.</param>
/// <param name="Status"><c>sent</c>; <c>retrying</c> (the last attempt failed, another is scheduled); or <c>failed</c> (for good).</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="Error">Why the last attempt failed (secrets redacted).</param>
public sealed record ApprovalNotification(string Key, string Connector, int Round, string Status, int Attempts, string? Error, DateTimeOffset At)
{
    public const string Sent = "sent";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
}
