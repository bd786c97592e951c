using Ratify.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ratify.Functions.Http;

/// <summary>Registers the HTTP edge: problem+json errors, request limits and the OpenAPI document.</summary>
public static class HttpServiceCollectionExtensions
{
    /// <summary>Adds problem details, the exception handler, the body size limit, the storage budget and OpenAPI with the bearer scheme.</summary>
    public static IServiceCollection AddRatifyHttp(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>()
            .BindConfiguration(RequestLimitsOptions.SectionName)
            .Validate(o => o.MaxRequestBodyBytes > 0, "Ratify:MaxRequestBodyBytes must be a positive number of bytes.")
            .ValidateOnStart();

        services.AddOptions<StorageBudgetOptions>()
            .BindConfiguration(StorageBudgetOptions.SectionName)
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Ratify:Storage:RequestTimeout must be a positive time span, such as 00:00:05.")
            .Validate(o => o.RetryAfter >= TimeSpan.Zero, "Ratify:Storage:RetryAfter must be a time span of zero or more, such as 00:00:05.")
            .ValidateOnStart();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemResponses.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // Binding failures (malformed JSON, wrong content type, missing body) reach the exception handler,
        // which answers them with the parser's own message instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecuritySchemeTransformer>();
            o.AddOperationTransformer<BearerSecuritySchemeTransformer>();
            o.AddOperationTransformer<EdgeResponsesTransformer>();
            o.AddOperationTransformer<AlternativeResponsesTransformer>();
            o.AddDocumentTransformer<WorkflowDefinitionSchemaTransformer>();
        });
        return services;
    }
}
