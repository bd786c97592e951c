using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Triggers;

namespace Ratify.Functions.Workflows;

/// <summary>
/// The JSON Schema of a workflow definition, published in the OpenAPI document: fields, triggers, steps by type and each
/// connector's <c>with</c> from the connector's own declaration (the one its definition-time validation checks).
/// </summary>
/// <remarks>
/// The schema states the shape; the parser checks more (references between steps, cycles, templates, cron expressions, time
/// zones, durations' bounds, inputs against the input schema, rules between a connector's arguments), so a definition that
/// matches the schema can still be refused with a 422, never the other way round.
/// </remarks>
public static class WorkflowDefinitionSchema
{
    /// <summary>The component holding a new workflow's definition (POST /v1/workflows).</summary>
    public const string Definition = "WorkflowDefinition";

    /// <summary>The component holding a new version's definition (PUT /v1/workflows/{id}): the id may be left out.</summary>
    public const string VersionDefinition = "WorkflowVersionDefinition";

    private const string Trigger = "WorkflowTrigger";

    /// <summary>Every schema, by component name; <paramref name="reference"/> makes the <c>$ref</c> to a component.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Components(IEnumerable<IConnector> connectors, Func<string, JsonObject> reference)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        ArgumentNullException.ThrowIfNull(reference);
        var components = StepSchemas.Components(connectors, reference);
        components["CronTrigger"] = CronTriggerSchema();
        components["WebhookTrigger"] = WebhookTriggerSchema();
        components[Trigger] = new JsonObject { ["oneOf"] = new JsonArray(reference("CronTrigger"), reference("WebhookTrigger")) };
        components[Definition] = Root(reference, idRequired: true);
        components[VersionDefinition] = Root(reference, idRequired: false);
        return components;
    }

    /// <summary>A <c>$ref</c> to a component of an OpenAPI document.</summary>
    public static JsonObject OpenApiReference(string component) => new() { ["$ref"] = "#/components/schemas/" + component };

    private static JsonObject Root(Func<string, JsonObject> reference, bool idRequired) => new()
    {
        ["type"] = "object",
        ["description"] = idRequired
            ? "A workflow definition. Every problem is reported at once as a 422 naming each JSON pointer."
            : "A new version of a workflow definition; the id, when given, must be the one in the path.",
        ["properties"] = new JsonObject
        {
            ["id"] = StepSchemas.Described(StepSchemas.Pattern(DefinitionNames.WorkflowIdPattern), "The workflow id."),
            ["name"] = StepSchemas.Described(new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = WorkflowLimits.MaxNameLength, ["pattern"] = "\\S" }, "A readable name."),
            ["description"] = StepSchemas.Described(new JsonObject { ["type"] = "string", ["maxLength"] = WorkflowLimits.MaxDescriptionLength }, "What the workflow does."),
            ["inputSchema"] = StepSchemas.Described(new JsonObject { ["type"] = "object" }, "A JSON Schema that every run's input must match."),
            ["triggers"] = StepSchemas.Described(new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = TriggerChecker.MaxTriggers,
                ["items"] = reference(Trigger),
            }, "What starts runs besides POST /v1/runs: cron schedules and signed webhooks."),
            ["steps"] = StepSchemas.Described(new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = WorkflowLimits.MaxSteps,
                ["items"] = reference(StepSchemas.Step),
            }, "The steps; they run as their dependencies allow."),
        },
        ["required"] = idRequired ? StepSchemas.Names("id", "name", "steps") : StepSchemas.Names("name", "steps"),
        ["additionalProperties"] = false,
    };

    private static JsonObject CronTriggerSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Starts a run on a cron schedule.",
        ["properties"] = new JsonObject
        {
            ["type"] = StepSchemas.Enum("cron"),
            ["schedule"] = StepSchemas.Described(new JsonObject { ["type"] = "string" }, "A cron expression (five fields, or six with seconds first) such as \"0 */5 * * * *\"."),
            ["timeZone"] = StepSchemas.Described(new JsonObject { ["type"] = "string" }, "An IANA time zone id such as \"Europe/Berlin\". Default: UTC."),
            ["input"] = StepSchemas.Described(new JsonObject(), $"The run input; it must match inputSchema (at most {TriggerChecker.MaxCronInputLength} characters of JSON)."),
            ["catchUp"] = StepSchemas.Described(new JsonObject
            {
                ["anyOf"] = new JsonArray(StepSchemas.Enum("skip"), new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = TriggerChecker.MaxCatchUp }),
            }, "\"skip\", or how many ticks missed during downtime to start."),
            ["overlap"] = StepSchemas.Described(StepSchemas.Enum(CronTrigger.OverlapSkip, CronTrigger.OverlapAllow), "Whether a tick starts a run while the previous one is still going."),
        },
        ["required"] = StepSchemas.Names("type", "schedule"),
        ["additionalProperties"] = false,
    };

    private static JsonObject WebhookTriggerSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Starts a run on a signed POST /v1/hooks/{workflowId}.",
        ["properties"] = new JsonObject
        {
            ["type"] = StepSchemas.Enum("webhook"),
            ["secret"] = StepSchemas.Described(StepSchemas.Pattern("^\\{\\{\\s*secrets\\.[A-Za-z_][A-Za-z0-9_]{0,127}\\s*\\}\\}$"),
                "The signing secret, as \"{{secrets.NAME}}\" (a configured secret, never the value)."),
            ["input"] = StepSchemas.Described(new JsonObject(), "The run input, templated from the hook's JSON body ({{body.…}})."),
        },
        ["required"] = StepSchemas.Names("type", "secret"),
        ["additionalProperties"] = false,
    };
}
