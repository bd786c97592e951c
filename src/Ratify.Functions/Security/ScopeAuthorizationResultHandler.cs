using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Ratify.Functions.Http;

namespace Ratify.Functions.Security;

/// <summary>Turns a failed scope check into a 403 problem that names the missing scope.</summary>
internal sealed class ScopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!authorizeResult.Forbidden)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray() ?? [];
        if (missing.Length == 0)
        {
            return ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "This API key may not do this.");
        }

        return ProblemResponses.WriteAsync(
            context,
            StatusCodes.Status403Forbidden,
            $"This API key lacks the scope '{string.Join("', '", missing)}'.",
            new Dictionary<string, object?> { ["missingScopes"] = missing });
    }
}
