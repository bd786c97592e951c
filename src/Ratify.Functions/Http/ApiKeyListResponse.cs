namespace Ratify.Functions.Http;

/// <summary>The answer to <c>GET /v1/keys</c>: the tenant's keys, revoked ones included, newest first.</summary>
public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Items);
