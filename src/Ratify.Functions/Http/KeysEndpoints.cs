using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Audit;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>API keys: create (secret shown once), list, read and revoke, all within the caller's tenant and for admin keys only.</summary>
/// <remarks>The bootstrap admin key may name any tenant (<c>tenantId</c>), which is how tenants come to exist.</remarks>
public static class KeysEndpoints
{
    /// <summary>Maps <c>/v1/keys</c>.</summary>
    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/keys").WithTags("Keys").RequireScope(RatifyScopes.Admin);

        keys.MapPost("", CreateAsync)
            .WithName("CreateKey")
            .WithSummary("Create an API key; the secret is in this response only")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        keys.MapGet("", ListAsync)
            .WithName("ListKeys")
            .WithSummary("List the tenant's API keys (no secrets)");
        keys.MapGet("/{id}", GetAsync)
            .WithName("GetKey")
            .WithSummary("Read one API key (no secret)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapDelete("/{id}", RevokeAsync)
            .WithName("RevokeKey")
            .WithSummary("Revoke an API key; it stops authenticating")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Created<CreatedApiKeyResponse>> CreateAsync(
        CreateKeyRequest? request, CallerContext caller, ApiKeyStore store, AuditTrail audit, HttpResponse response, CancellationToken cancellationToken)
    {
        // Nullable so that a missing body gets this message rather than the framework's binding jargon.
        if (request is null)
        {
            throw new BadRequestProblemException("A JSON body is required: {\"name\": \"…\", \"scopes\": [\"runs:read\"]}.");
        }

        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new ValidationProblemException(errors);
        }

        var tenantId = ResolveTenant(caller, request.TenantId);
        var scopes = request.Scopes!.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var (key, secret) = await store.CreateAsync(tenantId, request.Name!.Trim(), scopes, caller.KeyId, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(AuditScopes.Tenant(tenantId), AuditTypes.KeyCreated, AuditActor.Key(caller.KeyId), new JsonObject
        {
            ["keyId"] = key.Id,
            ["name"] = key.Name,
            ["scopes"] = new JsonArray([.. key.Scopes.Select(s => (JsonNode)s)]),
        }, $"key/{key.Id}/created", CancellationToken.None).ConfigureAwait(false);

        // The body holds a secret: no cache along the way may keep it.
        response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/keys/{key.Id}", CreatedApiKeyResponse.From(key, secret));
    }

    private static async Task<Ok<ApiKeyListResponse>> ListAsync(
        CallerContext caller, ApiKeyStore store, string? tenantId, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(ResolveTenant(caller, tenantId), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ApiKeyListResponse([.. keys.Select(ApiKeyResponse.From)]));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(
        string id, CallerContext caller, ApiKeyStore store, string? tenantId, CancellationToken cancellationToken)
    {
        var key = await store.GetAsync(ResolveTenant(caller, tenantId), id, cancellationToken).ConfigureAwait(false);
        return key is null ? NoSuchKey(id) : TypedResults.Ok(ApiKeyResponse.From(key));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, CallerContext caller, ApiKeyStore store, AuditTrail audit, string? tenantId, CancellationToken cancellationToken)
    {
        var tenant = ResolveTenant(caller, tenantId);
        var key = await store.RevokeAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return NoSuchKey(id);
        }

        await audit.AppendAsync(AuditScopes.Tenant(tenant), AuditTypes.KeyRevoked, AuditActor.Key(caller.KeyId), new JsonObject { ["keyId"] = key.Id },
            $"key/{key.Id}/revoked", CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    // Another tenant's key gets the same answer as a key that does not exist.
    private static ProblemHttpResult NoSuchKey(string id) =>
        ProblemResponses.Result(StatusCodes.Status404NotFound, $"There is no API key '{id}' in this tenant.");

    private static string ResolveTenant(CallerContext caller, string? requested)
    {
        if (requested is null || requested == caller.TenantId)
        {
            return caller.TenantId;
        }

        if (!caller.IsBootstrap)
        {
            throw new ForbiddenProblemException(
                $"This key belongs to tenant '{caller.TenantId}'; only the bootstrap admin key may act on another tenant.");
        }

        return Tenants.IsValidId(requested)
            ? requested
            : throw new BadRequestProblemException(
                $"The tenantId '{requested}' is not a tenant id: 1 to {Tenants.MaxLength} characters of a-z, 0-9, '-' and '_'.");
    }
}
