using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ratify.Functions.Http;

/// <summary>Documents the <c>ETag</c> of a run read: the number of the last event the answer includes.</summary>
internal static class RunHeaders
{
    public static Task DocumentETagAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["ETag"] = new OpenApiHeader
            {
                Description = "The run's last event included in the answer, quoted (\"17\"); the body's seq. Follow /v1/runs/{runId}/stream?after=17 to miss nothing after it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        return Task.CompletedTask;
    }
}
