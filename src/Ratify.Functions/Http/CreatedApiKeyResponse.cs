using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>The answer to <c>POST /v1/keys</c>: the new key with its secret, shown this once and never again.</summary>
public sealed record CreatedApiKeyResponse(
    string Id,
    string Secret,
    string Name,
    string TenantId,
    IReadOnlyList<string> Scopes,
    string Prefix,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    internal static CreatedApiKeyResponse From(ApiKey key, string secret) =>
        new(key.Id, secret, key.Name, key.TenantId, key.Scopes, key.DisplayPrefix, key.CreatedAt, key.CreatedBy);
}
