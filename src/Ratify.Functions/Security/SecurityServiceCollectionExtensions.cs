using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ratify.Functions.Security;

/// <summary>Registers API key authentication and the scope policies.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bearer API key scheme, one policy per scope (named after the scope) and a fallback policy that requires
    /// an authenticated key on every endpoint that says nothing else: open endpoints must call <c>AllowAnonymous()</c>.
    /// </summary>
    public static IServiceCollection AddRatifySecurity(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>()
            .BindConfiguration(ApiKeyOptions.SectionName)
            .Validate(
                o => string.IsNullOrWhiteSpace(o.BootstrapAdminKey) || ApiKeySecret.IsWellFormed(o.BootstrapAdminKey),
                $"Ratify:BootstrapAdminKey (environment Ratify__BootstrapAdminKey) must be '{ApiKeySecret.Prefix}' followed by " +
                $"{ApiKeySecret.MinRandomLength} to {ApiKeySecret.MaxRandomLength} characters of A-Z a-z 0-9 - _, or empty for none.")
            .Validate(
                o => o.ApiKeyCacheDuration >= TimeSpan.Zero && o.ApiKeyCacheDuration <= TimeSpan.FromHours(1),
                "Ratify:ApiKeyCacheDuration must be between 00:00:00 (no cache) and 01:00:00.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyStore>();

        services.AddAuthentication(ApiKeyAuthenticationDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationDefaults.Scheme, configureOptions: null);

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var scope in RatifyScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scope)));
        }

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeAuthorizationResultHandler>();
        return services;
    }
}
