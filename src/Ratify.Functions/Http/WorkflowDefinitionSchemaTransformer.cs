using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Ratify.Connectors;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>
/// Publishes the workflow definition's real JSON Schema (<see cref="WorkflowDefinitionSchema"/>) as components of the OpenAPI
/// document and makes it the request body of creating a workflow and storing a new version.
/// </summary>
internal sealed class WorkflowDefinitionSchemaTransformer(IEnumerable<IConnector> connectors) : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> BodyByOperation = new(StringComparer.Ordinal)
    {
        ["CreateWorkflow"] = WorkflowDefinitionSchema.Definition,
        ["UpdateWorkflow"] = WorkflowDefinitionSchema.VersionDefinition,
    };

    // The parser keeps the first connector registered under a name; the schema describes the same one.
    private readonly IConnector[] _connectors = [.. connectors.DistinctBy(c => c.Name, StringComparer.Ordinal)];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var (name, schema) in ReadSchemas())
        {
            document.Components.Schemas[name] = schema;
        }

        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value))
        {
            if (operation.OperationId is { } id && BodyByOperation.TryGetValue(id, out var component)
                && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType body)
            {
                body.Schema = new OpenApiSchemaReference(component, document);
            }
        }

        return Task.CompletedTask;
    }

    // Read through the OpenAPI library's own reader, so the document gets the schema exactly as written.
    private IDictionary<string, IOpenApiSchema> ReadSchemas()
    {
        var schemas = new JsonObject();
        foreach (var (name, schema) in WorkflowDefinitionSchema.Components(_connectors, WorkflowDefinitionSchema.OpenApiReference))
        {
            schemas[name] = schema;
        }

        var carrier = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = "workflow definition", ["version"] = "1" },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
        var read = OpenApiModelFactory.Parse(carrier.ToJsonString(), OpenApiConstants.Json);
        if (read.Document?.Components?.Schemas is not { } parsed || read.Diagnostic?.Errors.Count > 0)
        {
            throw new InvalidOperationException("The workflow definition schema is not a valid OpenAPI schema: "
                + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        }

        return parsed;
    }
}
