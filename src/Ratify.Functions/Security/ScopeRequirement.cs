using Microsoft.AspNetCore.Authorization;

namespace Ratify.Functions.Security;

/// <summary>Requires the API key to hold a scope, or <see cref="RatifyScopes.Admin"/> which implies every scope.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>The scope required.</summary>
    public string Scope { get; } = scope;

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.HasClaim(RatifyClaimTypes.Scope, requirement.Scope) || context.User.HasClaim(RatifyClaimTypes.Scope, RatifyScopes.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
