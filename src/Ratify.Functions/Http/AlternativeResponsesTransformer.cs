using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ratify.Functions.Http;

/// <summary>
/// Documents a status that a handler answers with more than one body type (a typed union such as
/// <c>Results&lt;Created&lt;A&gt;, Created&lt;B&gt;&gt;</c>) as <c>oneOf</c> those types, instead of only the last one declared.
/// </summary>
internal sealed class AlternativeResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var alternatives = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.Type is not null && m.Type != typeof(void))
            .GroupBy(m => m.StatusCode)
            .Where(g => g.Select(m => m.Type).Distinct().Count() > 1);
        foreach (var status in alternatives)
        {
            if (operation.Responses?.GetValueOrDefault(status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not OpenApiResponse { Content: { } content })
            {
                continue;
            }

            var schemas = new List<IOpenApiSchema>();
            foreach (var type in status.Select(m => m.Type!).Distinct())
            {
                schemas.Add(await context.GetOrCreateSchemaAsync(type, cancellationToken: cancellationToken).ConfigureAwait(false));
            }

            foreach (var media in content.Values.OfType<OpenApiMediaType>())
            {
                media.Schema = new OpenApiSchema { OneOf = schemas };
            }
        }
    }
}
