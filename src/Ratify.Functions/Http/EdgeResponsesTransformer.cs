using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ratify.Functions.Http;

/// <summary>
/// Documents the answers the HTTP edge can give on any operation, whatever its handler declares: 400, 413 and 415 where a
/// body is taken, 404 where the path names a resource, and 503 with <c>Retry-After</c> where storage is read or written.
/// </summary>
internal sealed class EdgeResponsesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        operation.Responses ??= [];
        if (operation.RequestBody is not null)
        {
            Add(operation, context, "400", "The body is not valid JSON, has a field of the wrong type, or holds malformed text; `errors` names each place by its JSON pointer.");
            Add(operation, context, "413", "The body is larger than this endpoint accepts.");
            Add(operation, context, "415", "The body is not sent as application/json.");
        }

        if (context.Description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            Add(operation, context, "404", "Nothing with that id in the caller's tenant (another tenant's resource reads the same).");
        }

        // Every API operation reads or writes storage (a stream too, though it has no budget); health and the document do not.
        if (context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true && Add(operation, context, "503",
                "Storage failed or did not answer within the request's budget; retry after the `Retry-After` seconds.") is { } unavailable)
        {
            unavailable.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                },
            };
        }

        // Every error of the app is problem+json, including those declared elsewhere without a body (401, 403).
        foreach (var (status, declared) in operation.Responses)
        {
            if (status[0] is '4' or '5' && declared is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = Problem(context);
            }
        }

        return Task.CompletedTask;
    }

    private static Dictionary<string, OpenApiMediaType> Problem(OpenApiOperationTransformerContext context) => new()
    {
        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
    };

    private static OpenApiResponse? Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return null;
        }

        var response = new OpenApiResponse { Description = description, Content = Problem(context) };
        operation.Responses[status] = response;
        return response;
    }
}
