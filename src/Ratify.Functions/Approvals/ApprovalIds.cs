namespace Ratify.Functions.Approvals;

/// <summary>Approval ids: <c>apr_</c> and 32 lowercase hex digits, made from the orchestration's deterministic GUID.</summary>
public static class ApprovalIds
{
    public static string From(Guid guid) => "apr_" + guid.ToString("N");

    public static bool IsWellFormed(string? approvalId) =>
        approvalId is { Length: 36 } && approvalId.StartsWith("apr_", StringComparison.Ordinal) && approvalId.AsSpan(4).ContainsAnyExcept("0123456789abcdef") == false;
}
