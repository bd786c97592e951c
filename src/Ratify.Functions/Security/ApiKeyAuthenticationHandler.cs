using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Events;
using Ratify.Functions.Http;

namespace Ratify.Functions.Security;

/// <summary>Authenticates <c>Authorization: Bearer sk_ratify_…</c> against the bootstrap key and the Keys table, or a stream ticket on the endpoints that take one.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore store,
    StreamTicketSigner tickets,
    IOptions<ApiKeyOptions> keyOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string MissingKey = "An API key is required: send 'Authorization: Bearer sk_ratify_…'.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return Context.GetEndpoint()?.Metadata.GetMetadata<StreamTicketMetadata>() is not null && Request.Query.ContainsKey("ticket")
                ? await AuthenticateTicketAsync(Request.Query["ticket"].Count == 1 ? Request.Query["ticket"][0] : null).ConfigureAwait(false)
                : AuthenticateResult.NoResult();
        }

        var header = headers.Count == 1 ? headers[0] : null;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be a single 'Bearer sk_ratify_…'.");
        }

        var secret = header[BearerPrefix.Length..].Trim();
        if (!ApiKeySecret.IsWellFormed(secret))
        {
            return AuthenticateResult.Fail(
                $"The API key is malformed: it must be '{ApiKeySecret.Prefix}' followed by at least {ApiKeySecret.MinRandomLength} URL-safe characters.");
        }

        if (IsBootstrapKey(secret))
        {
            return Success(ApiKey.BootstrapId, Tenants.Default, [RatifyScopes.Admin], isBootstrap: true);
        }

        var key = await store.FindByHashAsync(ApiKeySecret.Hash(secret), Context.RequestAborted).ConfigureAwait(false);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not recognised.");
        }

        return key.IsRevoked
            ? AuthenticateResult.Fail("The API key has been revoked.")
            : Success(key.Id, key.TenantId, key.Scopes, isBootstrap: false);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);

        // Only our own rejections are worth telling the caller; anything else stays generic.
        var rejection = result.Failure is AuthenticationFailureException ? result.Failure.Message : null;
        Response.Headers.WWWAuthenticate = rejection is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, rejection ?? MissingKey).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "This API key may not do this.");

    // A ticket stands for the key that asked for it, as long as that key still works.
    private async Task<AuthenticateResult> AuthenticateTicketAsync(string? ticket)
    {
        if (tickets.Verify(ticket) is not { } granted)
        {
            return AuthenticateResult.Fail("The stream ticket is not valid or has expired: ask POST /v1/stream/tickets for a new one.");
        }

        var isBootstrap = granted.KeyId == ApiKey.BootstrapId;
        var stillValid = isBootstrap
            ? !string.IsNullOrWhiteSpace(keyOptions.Value.BootstrapAdminKey)
            : await store.GetAsync(granted.TenantId, granted.KeyId, Context.RequestAborted).ConfigureAwait(false) is { IsRevoked: false };
        if (!stillValid)
        {
            return AuthenticateResult.Fail("The API key this stream ticket was issued to has been revoked.");
        }

        return Success(granted.KeyId, granted.TenantId, granted.Scopes, isBootstrap, granted.RunId, granted.ExpiresAt);
    }

    private bool IsBootstrapKey(string secret)
    {
        var bootstrap = keyOptions.Value.BootstrapAdminKey;
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            return false;
        }

        // Hashes have equal lengths, so the comparison takes the same time whatever the secrets share.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)),
            SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap)));
    }

    private AuthenticateResult Success(
        string keyId, string tenantId, IEnumerable<string> scopes, bool isBootstrap, string? ticketRunId = null, DateTimeOffset? ticketExpiresAt = null)
    {
        var claims = new List<Claim>
        {
            new(RatifyClaimTypes.KeyId, keyId),
            new(RatifyClaimTypes.TenantId, tenantId),
        };
        claims.AddRange(scopes.Select(s => new Claim(RatifyClaimTypes.Scope, s)));
        if (isBootstrap)
        {
            claims.Add(new Claim(RatifyClaimTypes.Bootstrap, "true"));
        }

        if (ticketRunId is not null)
        {
            claims.Add(new Claim(RatifyClaimTypes.TicketRunId, ticketRunId));
        }

        if (ticketExpiresAt is { } expiresAt)
        {
            claims.Add(new Claim(RatifyClaimTypes.TicketExpiresAt, expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name, RatifyClaimTypes.KeyId, roleType: null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
