namespace Ratify.Functions.Events;

/// <summary>What a stream ticket grants: the streams of <paramref name="TenantId"/> as key <paramref name="KeyId"/> with its scopes, of one run only when <paramref name="RunId"/> is set.</summary>
public sealed record StreamTicket(string TenantId, string KeyId, IReadOnlyList<string> Scopes, string? RunId, DateTimeOffset ExpiresAt);
