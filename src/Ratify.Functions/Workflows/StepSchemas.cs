using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Approvals;

namespace Ratify.Functions.Workflows;

/// <summary>The JSON Schemas of a workflow's steps: one per built-in type and one per connector, whose <c>with</c> is the connector's declared arguments.</summary>
internal static class StepSchemas
{
    public const string Step = "WorkflowStep";
    public const string Retry = "StepRetry";
    public const string Artifact = "StepArtifact";
    public const string Notification = "ApprovalNotification";

    /// <summary>The step schemas and the schemas they refer to, by component name.</summary>
    public static Dictionary<string, JsonObject> Components(IEnumerable<IConnector> connectors, Func<string, JsonObject> reference)
    {
        var components = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            [Retry] = RetrySchema(),
            [Artifact] = ArtifactSchema(),
            [Notification] = NotificationSchema(),
            ["TransformStep"] = TypedStep(StepTypes.Transform, "Outputs its rendered `with` object: shapes data with templates.",
                Described(new JsonObject { ["type"] = "object" }, "Any object; templates in it are rendered (no secrets)."), withRequired: false, reference),
            ["DelayStep"] = TypedStep(StepTypes.Delay, "Waits on a durable timer.", DelayWith(), withRequired: true, reference),
            ["ApprovalStep"] = ApprovalStep(reference),
        };

        foreach (var connector in connectors.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var declaration = connector.Declaration;
            var arguments = ConnectorArgumentsName(connector.Name);
            components[arguments] = declaration.ArgumentsSchema();
            var step = Common(reference, sideEffect: true);
            step.Properties["connector"] = Described(Enum(connector.Name), "The connector this step calls.");
            step.Properties["with"] = reference(arguments);
            step.Schema["description"] = $"Calls the {connector.Name} connector. Side effect: {declaration.SideEffect}";
            step.Schema["required"] = declaration.Arguments.Fields.Any(f => f.Required) ? Names("id", "connector", "with") : Names("id", "connector");
            components[ConnectorStepName(connector.Name)] = step.Schema;
        }

        components[Step] = new JsonObject
        {
            ["description"] = "A step: a built-in type (transform, delay, approval) or a connector call.",
            ["oneOf"] = new JsonArray([.. components.Keys.Where(k => k.EndsWith("Step", StringComparison.Ordinal)).Select(k => (JsonNode)reference(k))]),
        };
        return components;
    }

    /// <summary>The component name of a connector's arguments, e.g. <c>HttpConnectorArguments</c>.</summary>
    public static string ConnectorArgumentsName(string connector) => Pascal(connector) + "ConnectorArguments";

    private static string ConnectorStepName(string connector) => Pascal(connector) + "ConnectorStep";

    private static JsonObject TypedStep(string type, string description, JsonObject with, bool withRequired, Func<string, JsonObject> reference)
    {
        var step = Common(reference, sideEffect: true);
        step.Properties["type"] = Enum(type);
        step.Properties["with"] = with;
        step.Schema["description"] = description;
        step.Schema["required"] = withRequired ? Names("id", "type", "with") : Names("id", "type");
        return step.Schema;
    }

    private static JsonObject ApprovalStep(Func<string, JsonObject> reference)
    {
        var step = Common(reference, sideEffect: false);
        step.Properties["type"] = Enum(StepTypes.Approval);
        step.Properties["with"] = ApprovalWith();
        step.Properties["notify"] = new JsonObject
        {
            ["type"] = "array",
            ["maxItems"] = ApprovalLimits.MaxNotifications,
            ["items"] = reference(Notification),
            ["description"] = "Notifications sent when the gate is reached, each carrying the signed approval links.",
        };
        step.Schema["description"] = "An approval gate: waits for a person's or agent's decision. Its time limit is with.timeout; it takes no retry, timeout or sideEffect.";
        step.Schema["required"] = Names("id", "type");
        return step.Schema;
    }

    private static (JsonObject Schema, JsonObject Properties) Common(Func<string, JsonObject> reference, bool sideEffect)
    {
        var properties = new JsonObject
        {
            ["id"] = Described(Pattern(DefinitionNames.StepIdPattern), "The step id, unique in the workflow; later steps read steps.ID.output."),
            ["dependsOn"] = Described(new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = WorkflowLimits.MaxDependencies,
                ["uniqueItems"] = true,
                ["items"] = Pattern(DefinitionNames.StepIdPattern),
            }, "Steps that must finish first; steps with no unmet dependency run in parallel."),
            ["if"] = Described(new JsonObject { ["type"] = "string" }, "A condition such as \"steps.score.output.value > 10000\"; the step is skipped when false."),
            ["onFailure"] = Described(Enum("fail", "continue"), "What a failure does to the run. Default: fail."),
            ["artifacts"] = Described(new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = WorkflowLimits.MaxArtifactsPerStep,
                ["items"] = reference(Artifact),
            }, "Named artifacts rendered from the step's output."),
        };
        if (sideEffect)
        {
            properties["retry"] = reference(Retry);
            properties["timeout"] = Described(IsoDurationSchema(), $"The step's time limit, an ISO 8601 duration of at most {IsoDuration.Format(WorkflowLimits.MaxTimeout)}.");
            properties["sideEffect"] = Described(Enum("read", "idempotent", "irreversible"), "Overrides the side-effect class that replay and retry use.");
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        return (schema, properties);
    }

    private static JsonObject RetrySchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Retries with backoff; the delays are durable timers.",
        ["properties"] = new JsonObject
        {
            ["maxAttempts"] = Described(new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = WorkflowLimits.MaxRetryAttempts }, "Attempts in all, the first included."),
            ["backoff"] = Described(Enum("fixed", "exponential"), "How the interval grows."),
            ["initialInterval"] = Described(IsoDurationSchema(), "The first delay, an ISO 8601 duration of at most a day."),
            ["maxInterval"] = Described(IsoDurationSchema(), "The longest delay, an ISO 8601 duration of at most a day, not shorter than initialInterval."),
            ["backoffCoefficient"] = Described(new JsonObject { ["type"] = "number", ["minimum"] = 1, ["maximum"] = WorkflowLimits.MaxBackoffCoefficient }, "The growth factor of exponential backoff."),
        },
        ["required"] = Names("maxAttempts"),
        ["additionalProperties"] = false,
    };

    private static JsonObject ArtifactSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["name"] = Described(Pattern(DefinitionNames.ArtifactNamePattern), "The artifact's name, unique in the step."),
            ["type"] = Described(new JsonObject
            {
                ["anyOf"] = new JsonArray(Enum([.. DefinitionNames.ArtifactTypes]), Pattern("^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")),
            }, "A short type or a media type such as application/pdf."),
            ["value"] = Described(new JsonObject(), "The content, usually a template such as \"{{output.text}}\" (no secrets)."),
        },
        ["required"] = Names("name", "type", "value"),
        ["additionalProperties"] = false,
    };

    private static JsonObject NotificationSchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["connector"] = Enum([.. NotificationArguments.Supported]),
            ["with"] = Described(new JsonObject { ["type"] = "object" },
                "The connector's arguments; the gate fills in the message and links, so only the rest (such as the address or URL) is needed."),
        },
        ["required"] = Names("connector"),
        ["additionalProperties"] = false,
    };

    private static JsonObject DelayWith() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["duration"] = Described(new JsonObject { ["type"] = "string" }, $"An ISO 8601 duration such as PT5M, at most {IsoDuration.Format(WorkflowLimits.MaxDelay)}, or a template."),
        },
        ["required"] = Names("duration"),
    };

    private static JsonObject ApprovalWith()
    {
        JsonObject Identities(string description) => Described(new JsonObject
        {
            ["type"] = "array",
            ["minItems"] = 1,
            ["maxItems"] = ApprovalLimits.MaxApprovers,
            ["uniqueItems"] = true,
            ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = "^\\S+$", ["maxLength"] = 200 },
        }, description);

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The gate's policy; only message may hold a template.",
            ["properties"] = new JsonObject
            {
                ["message"] = Described(new JsonObject { ["type"] = "string" }, "What the approver is asked (templates allowed)."),
                ["showArtifacts"] = Described(new JsonObject { ["type"] = "array", ["items"] = Pattern("^[^/]+/[^/]+$") }, "Artifacts shown to the approver, as \"step/name\"."),
                ["approvers"] = Identities("Who may decide: people such as \"alice@example.com\" or API keys \"key:key_…\". Without it, any API key may decide."),
                ["quorum"] = Described(new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = ApprovalLimits.MaxApprovers }, "Approvals needed, at most the approvers listed. Default: 1."),
                ["timeout"] = Described(IsoDurationSchema(), "How long the gate waits, an ISO 8601 duration such as P2D."),
                ["onTimeout"] = Described(Enum("reject", "approve", "escalate"), "What the timeout decides (needs timeout). Default: reject."),
                ["escalateTo"] = Identities("People asked when the timeout passes (only with onTimeout \"escalate\")."),
                ["allowSelfApproval"] = Described(new JsonObject { ["type"] = "boolean" }, "Whether the key that started the run may approve it. Default: false."),
                ["autoApprove"] = Described(new JsonObject { ["type"] = "string" }, "A condition under which the gate approves itself."),
            },
            ["additionalProperties"] = false,
        };
    }

    public static JsonObject IsoDurationSchema() => Pattern("^P");

    public static JsonObject Pattern(string pattern) => new() { ["type"] = "string", ["pattern"] = pattern };

    public static JsonObject Enum(params string[] values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    public static JsonObject Described(JsonObject schema, string description)
    {
        schema["description"] = description;
        return schema;
    }

    public static JsonArray Names(params string[] names) => new([.. names.Select(n => (JsonNode)n)]);

    private static string Pascal(string name) =>
        string.Concat(name.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
