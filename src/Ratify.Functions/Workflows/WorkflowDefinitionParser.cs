using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Triggers;

namespace Ratify.Functions.Workflows;

/// <summary>Parses a submitted workflow definition and validates all of it, collecting every error with its JSON pointer.</summary>
public sealed class WorkflowDefinitionParser
{
    private static readonly string[] KnownProperties = ["id", "name", "description", "inputSchema", "triggers", "steps"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    private readonly Dictionary<string, IConnector> _connectors;

    /// <summary>Creates a parser that knows the registered connectors.</summary>
    public WorkflowDefinitionParser(IEnumerable<IConnector> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        _connectors = new Dictionary<string, IConnector>(StringComparer.Ordinal);
        foreach (var connector in connectors)
        {
            _connectors.TryAdd(connector.Name, connector);
        }
    }

    /// <summary>Parses JSON text (at most <see cref="WorkflowLimits.MaxDefinitionBytes"/> in UTF-8).</summary>
    public DefinitionParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Encoding.UTF8.GetByteCount(json) > WorkflowLimits.MaxDefinitionBytes)
        {
            return Failed("", $"the definition is larger than {WorkflowLimits.MaxDefinitionBytes / 1024} KB");
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            return Failed("", "the definition is not valid JSON: " + e.Message);
        }

        return Validate(document);
    }

    /// <summary>Parses an already-read JSON document.</summary>
    public DefinitionParseResult Parse(JsonNode? document)
    {
        if (document is not null && Encoding.UTF8.GetByteCount(document.ToJsonString()) > WorkflowLimits.MaxDefinitionBytes)
        {
            return Failed("", $"the definition is larger than {WorkflowLimits.MaxDefinitionBytes / 1024} KB");
        }

        return Validate(document);
    }

    private DefinitionParseResult Validate(JsonNode? document)
    {
        if (document is not JsonObject root)
        {
            return Failed("", $"a definition must be a JSON object, not {JsonChecks.Describe(document)}");
        }

        var errors = new List<DefinitionError>();
        JsonChecks.RejectUnknown(root, "", KnownProperties, errors);
        CheckWorkflowId(root, errors);
        CheckText(root, "name", required: true, WorkflowLimits.MaxNameLength, errors);
        CheckText(root, "description", required: false, WorkflowLimits.MaxDescriptionLength, errors);
        var schemaErrorsBefore = errors.Count;
        if (root.TryGetPropertyValue("inputSchema", out var schema) && schema is not null)
        {
            new InputSchemaChecker(errors).Check(schema, "/inputSchema");
        }

        // A trigger's input is checked against the schema only when the schema itself is sound.
        var schemaValid = errors.Count == schemaErrorsBefore;
        new TriggerChecker(errors).Check(root["triggers"], root["inputSchema"] as JsonObject, schemaValid);

        CheckSteps(root["steps"], errors);
        if (errors.Count > 0)
        {
            return new DefinitionParseResult(null, errors);
        }

        // Every property has been checked, so this cannot fail on shape.
        return new DefinitionParseResult(root.Deserialize<WorkflowDefinition>(WorkflowJson.Options), errors);
    }

    private void CheckSteps(JsonNode? node, List<DefinitionError> errors)
    {
        if (node is not JsonArray steps || steps.Count == 0)
        {
            errors.Add(new DefinitionError("/steps", node is null
                ? "a workflow needs steps: a non-empty array"
                : $"steps must be a non-empty array, not {(node is JsonArray ? "an empty one" : JsonChecks.Describe(node))}"));
            return;
        }

        if (steps.Count > WorkflowLimits.MaxSteps)
        {
            errors.Add(new DefinitionError("/steps", $"a workflow may have at most {WorkflowLimits.MaxSteps} steps, not {steps.Count}"));
        }

        var checker = new StepChecker(_connectors, errors);
        var infos = steps.Select((step, index) => checker.Check(step, index)).ToList();
        DependencyChecker.Check(infos, errors);
        ApprovalChecker.CheckShownArtifacts(infos, errors);
    }

    private static void CheckWorkflowId(JsonObject root, List<DefinitionError> errors)
    {
        if (!root.TryGetPropertyValue("id", out var node))
        {
            errors.Add(new DefinitionError("/id", "a workflow needs an id"));
        }
        else if (!JsonChecks.IsString(node, out var id))
        {
            errors.Add(new DefinitionError("/id", $"the workflow id must be a string, not {JsonChecks.Describe(node)}"));
        }
        else if (!DefinitionNames.IsWorkflowId(id))
        {
            errors.Add(new DefinitionError("/id", $"workflow id '{id}' must match {DefinitionNames.WorkflowIdPattern} (a lowercase letter, then lowercase letters, digits, - or _)"));
        }
    }

    private static void CheckText(JsonObject root, string name, bool required, int maxLength, List<DefinitionError> errors)
    {
        var pointer = "/" + name;
        if (!root.TryGetPropertyValue(name, out var node) || (node is null && !required))
        {
            if (required)
            {
                errors.Add(new DefinitionError(pointer, $"a workflow needs a {name}"));
            }
        }
        else if (!JsonChecks.IsString(node, out var text) || (required && string.IsNullOrWhiteSpace(text)))
        {
            errors.Add(new DefinitionError(pointer, $"{name} must be a{(required ? " non-empty" : "")} string"));
        }
        else if (text.Length > maxLength)
        {
            errors.Add(new DefinitionError(pointer, $"{name} is longer than {maxLength} characters"));
        }
    }

    private static DefinitionParseResult Failed(string pointer, string message) =>
        new(null, [new DefinitionError(pointer, message)]);
}
