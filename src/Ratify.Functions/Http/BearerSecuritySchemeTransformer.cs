using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>Declares the bearer API key scheme in the OpenAPI document and marks which operations need it and which scope.</summary>
internal sealed class BearerSecuritySchemeTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info.Title = "Ratify API";
        document.Info.Description = "Governed workflows for AI agents. Authenticate with 'Authorization: Bearer sk_ratify_…'; errors are application/problem+json.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationDefaults.Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = ApiKeySecret.Prefix + "…",
            Description = "A Ratify API key. Scopes: " + string.Join(", ", RatifyScopes.All) + " (admin implies all within its tenant).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationDefaults.Scheme, context.Document)] = [] },
        ];

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "The API key is missing, malformed, unknown or revoked (problem+json)." });

        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(RatifyScopes.IsKnown).Distinct().ToArray();
        if (scopes.Length > 0)
        {
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The API key lacks the required scope (problem+json)." });
            var implied = scopes.Contains(RatifyScopes.Admin) ? "" : " (or `admin`)";
            var requirement = $"Requires scope {string.Join(", ", scopes.Select(s => $"`{s}`"))}{implied}.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? requirement : operation.Description + "\n\n" + requirement;
        }

        return Task.CompletedTask;
    }
}
