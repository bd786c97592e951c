using System.Security.Claims;

namespace Ratify.Functions.Security;

/// <summary>Reads the Ratify caller (tenant, key) from an authenticated principal.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller, or an <see cref="InvalidOperationException"/> when the endpoint let an unauthenticated request through.</summary>
    public static CallerContext GetCaller(this ClaimsPrincipal user) =>
        CallerContext.TryFrom(user)
        ?? throw new InvalidOperationException("The request is not authenticated by an API key: require a scope on this endpoint.");

    /// <summary>The caller's tenant id.</summary>
    public static string GetTenantId(this ClaimsPrincipal user) => user.GetCaller().TenantId;

    /// <summary>The caller's API key id (<c>key_…</c>).</summary>
    public static string GetKeyId(this ClaimsPrincipal user) => user.GetCaller().KeyId;
}
