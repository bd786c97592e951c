using Microsoft.AspNetCore.Builder;

namespace Ratify.Functions.Security;

/// <summary>Puts a scope requirement on an endpoint or a route group.</summary>
public static class ScopeEndpointExtensions
{
    /// <summary>Requires an API key holding <paramref name="scope"/> (one of <see cref="RatifyScopes"/>); admin keys pass too.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!RatifyScopes.IsKnown(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a Ratify scope: use a RatifyScopes constant.");
        }

        // The policies are registered under the scope names by AddRatifySecurity.
        return builder.RequireAuthorization(scope);
    }
}
