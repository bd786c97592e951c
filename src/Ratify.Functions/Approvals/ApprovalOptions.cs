namespace Ratify.Functions.Approvals;

/// <summary>Approval links and delivery, bound from <c>Ratify:Approvals</c> (environment: <c>Ratify__Approvals__…</c>).</summary>
public sealed class ApprovalOptions
{
    public const string SectionName = "Ratify:Approvals";

    /// <summary>
    /// The HMAC-SHA256 keys that sign approval links, by key id (letters, digits, <c>-</c>, <c>_</c>), each at least 32 bytes in
    /// base64 (<c>Ratify:Approvals:SigningKeys:k2026a</c>). Several keys let links signed with an older key keep working while
    /// a new one signs. Default: none, in which case a random key is made at start (development only: links die with the host
    /// and do not work across hosts).
    /// </summary>
    public Dictionary<string, string> SigningKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key that signs new links; may be left out when exactly one key is configured.</summary>
    public string? SigningKeyId { get; set; }

    /// <summary>The base URL approvers reach this host at, used in links. Default <c>http://127.0.0.1:7071</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071";

    /// <summary>How long a link lives when its gate has no timeout. Default 7 days.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a host looks for decisions that were stored but not delivered to their run. Default 30 seconds.</summary>
    public TimeSpan RedeliveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old an undelivered decision must be before it is delivered again (the resolving request normally does it). Default 5 seconds.</summary>
    public TimeSpan RedeliveryGrace { get; set; } = TimeSpan.FromSeconds(5);
}
