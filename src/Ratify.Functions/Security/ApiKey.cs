namespace Ratify.Functions.Security;

/// <summary>An API key as stored and listed: everything but the secret, which is never kept.</summary>
public sealed record ApiKey(
    string Id,
    string TenantId,
    string Name,
    IReadOnlyList<string> Scopes,
    string DisplayPrefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    /// <summary>The id of the bootstrap admin key, which lives in configuration, not in the Keys table.</summary>
    public const string BootstrapId = "key_bootstrap";

    /// <summary>Whether the key has been revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;
}
