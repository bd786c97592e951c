namespace Ratify.Functions.Approvals;

/// <summary>Approver identities: a person reached by link (e.g. an email address), or an API key written <c>key:&lt;id&gt;</c>.</summary>
public static class ApproverIdentity
{
    /// <summary>The prefix of an API key identity.</summary>
    public const string KeyPrefix = "key:";

    /// <summary>Longest identity: 200 characters.</summary>
    public const int MaxLength = 200;

    /// <summary>Whether <paramref name="identity"/> is a person (printable, no spaces) or <c>key:key_…</c>.</summary>
    public static bool IsValid(string? identity)
    {
        if (string.IsNullOrEmpty(identity) || identity.Length > MaxLength || identity.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        return !identity.StartsWith(KeyPrefix, StringComparison.Ordinal)
            || (identity.Length > KeyPrefix.Length + 4 && identity.AsSpan(KeyPrefix.Length).StartsWith("key_", StringComparison.Ordinal));
    }

    /// <summary>Whether the identity names an API key.</summary>
    public static bool IsKey(string identity) => identity.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>The identity of an API key.</summary>
    public static string OfKey(string keyId) => KeyPrefix + keyId;
}
