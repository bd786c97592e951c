using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>An API key as listed: never its secret or hash, only the display prefix.</summary>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    string TenantId,
    IReadOnlyList<string> Scopes,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    internal static ApiKeyResponse From(ApiKey key) =>
        new(key.Id, key.Name, key.TenantId, key.Scopes, key.DisplayPrefix, key.CreatedAt, key.CreatedBy, key.RevokedAt);
}
