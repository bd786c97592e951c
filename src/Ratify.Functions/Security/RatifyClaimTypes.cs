namespace Ratify.Functions.Security;

/// <summary>The claim types of the principal that an API key authenticates as.</summary>
public static class RatifyClaimTypes
{
    /// <summary>The tenant the key belongs to.</summary>
    public const string TenantId = "ratify:tenant";

    /// <summary>The key id (<c>key_…</c>): the actor recorded in audit trails.</summary>
    public const string KeyId = "ratify:key";

    /// <summary>One claim per scope the key holds.</summary>
    public const string Scope = "scope";

    /// <summary>Present (value <c>true</c>) only for the bootstrap admin key.</summary>
    public const string Bootstrap = "ratify:bootstrap";

    /// <summary>Present only when a stream ticket bound to one run authenticated the request: that run's id.</summary>
    public const string TicketRunId = "ratify:ticket_run";

    /// <summary>Present only when a stream ticket authenticated the request: when it expires, in Unix seconds; its streams close then.</summary>
    public const string TicketExpiresAt = "ratify:ticket_expires";
}
