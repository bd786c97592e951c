using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Ratify.Functions.Security;

/// <summary>Who is calling: the tenant and API key behind an authenticated request, and what the key may do.</summary>
/// <remarks>
/// Declare it as a handler parameter (<c>CallerContext caller</c>) and minimal APIs bind it from the authenticated user;
/// the endpoint must require authentication (<c>RequireScope</c>), otherwise the binding fails with 400.
/// </remarks>
public sealed record CallerContext(string TenantId, string KeyId, IReadOnlySet<string> Scopes, bool IsBootstrap)
{
    /// <summary>Whether the key holds <paramref name="scope"/>, directly or through <see cref="RatifyScopes.Admin"/>.</summary>
    public bool HasScope(string scope) => Scopes.Contains(scope) || Scopes.Contains(RatifyScopes.Admin);

    /// <summary>The one run a stream ticket limits the caller to; null for an API key or a ticket for every run.</summary>
    public string? TicketRunId { get; init; }

    /// <summary>When the stream ticket that authenticated the caller expires; null for an API key.</summary>
    public DateTimeOffset? TicketExpiresAt { get; init; }

    /// <summary>The caller behind <paramref name="user"/>, or null when the user was not authenticated by an API key.</summary>
    public static CallerContext? TryFrom(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tenantId = user.FindFirst(RatifyClaimTypes.TenantId)?.Value;
        var keyId = user.FindFirst(RatifyClaimTypes.KeyId)?.Value;
        if (user.Identity?.IsAuthenticated != true || tenantId is null || keyId is null)
        {
            return null;
        }

        var scopes = user.FindAll(RatifyClaimTypes.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var isBootstrap = user.HasClaim(RatifyClaimTypes.Bootstrap, "true");
        var expiresAt = long.TryParse(user.FindFirst(RatifyClaimTypes.TicketExpiresAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return new CallerContext(tenantId, keyId, scopes, isBootstrap)
        {
            TicketRunId = user.FindFirst(RatifyClaimTypes.TicketRunId)?.Value,
            TicketExpiresAt = expiresAt,
        };
    }

    /// <summary>Minimal API binding hook: the caller of the current request.</summary>
    public static ValueTask<CallerContext?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(TryFrom(context.User));
    }
}
