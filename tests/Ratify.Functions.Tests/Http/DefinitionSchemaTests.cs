using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;
using Ratify.Functions.Tests.Api;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

/// <summary>
/// The workflow definition schema published in the OpenAPI document agrees with the parser: every definition the parser
/// accepts (the demo, the tests' own, one using every step kind and connector) matches it, and every sample the parser
/// refuses for its shape is refused by it too.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DefinitionSchemaTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    /// <summary>Every step type, every built-in connector, both triggers and every step policy.</summary>
    private const string EveryKind = """
        {"id": "every-kind", "name": "Every kind", "description": "d",
         "inputSchema": {"type": "object", "properties": {"dealId": {"type": "string"}}},
         "triggers": [
           {"type": "cron", "schedule": "0 */5 * * * *", "timeZone": "UTC", "input": {"dealId": "d1"}, "catchUp": 2, "overlap": "skip"},
           {"type": "cron", "schedule": "0 9 * * *", "catchUp": "skip"},
           {"type": "webhook", "secret": "{{secrets.HOOK_SECRET}}", "input": {"dealId": "{{body.id}}"}}],
         "steps": [
           {"id": "fetch", "connector": "http", "with": {"method": "get", "url": "https://crm.example/deals/{{input.dealId}}",
             "headers": {"Authorization": "Bearer {{secrets.CRM}}", "X-Count": 2}, "query": {"tag": ["a", "b"], "n": 1}, "timeout": "10s"},
            "retry": {"maxAttempts": 3, "backoff": "exponential", "initialInterval": "PT2S", "maxInterval": "PT1M", "backoffCoefficient": 2},
            "timeout": "PT30S", "sideEffect": "read"},
           {"id": "score", "type": "transform", "dependsOn": ["fetch"], "with": {"value": "{{steps.fetch.output.body.amount}}"},
            "artifacts": [{"name": "note", "type": "markdown", "value": "{{output.value}}"}, {"name": "raw.pdf", "type": "application/pdf", "value": "x"}]},
           {"id": "ask", "connector": "ai", "dependsOn": ["score"], "if": "steps.score.output.value > 10",
            "with": {"baseUrl": "https://llm.example/v1", "model": "m", "apiKey": "{{secrets.AI}}", "temperature": 0.2, "maxTokens": 200,
                     "responseSchema": {"type": "object"}, "messages": [{"role": "user", "content": "Score {{steps.score.output.value}}"}]}},
           {"id": "wait", "type": "delay", "dependsOn": ["ask"], "with": {"duration": "PT1S"}},
           {"id": "review", "type": "approval", "dependsOn": ["wait"], "onFailure": "continue",
            "with": {"message": "Send?", "showArtifacts": ["score/note"], "approvers": ["alice@example.com", "bob@example.com"], "quorum": 1,
                     "timeout": "P2D", "onTimeout": "escalate", "escalateTo": ["carol@example.com"], "allowSelfApproval": false},
            "notify": [{"connector": "webhook", "with": {"url": "https://hooks.example/approvals"}}]},
           {"id": "post", "connector": "slack", "dependsOn": ["review"],
            "with": {"token": "{{secrets.SLACK}}", "channel": "#deals", "text": "Deal", "blocks": [{"type": "divider"}],
                     "buttons": [{"text": "Open", "url": "https://crm.example/d", "style": "primary"}]}},
           {"id": "mail", "connector": "email", "dependsOn": ["review"],
            "with": {"host": "smtp.example.com", "port": 587, "tls": "starttls", "username": "u", "password": "{{secrets.SMTP}}",
                     "from": "bot@example.com", "to": ["a@example.com", "{{input.dealId}}"], "subject": "Deal", "text": "t",
                     "attachments": [{"step": "score", "name": "note", "filename": "note.md"}]}},
           {"id": "tell", "connector": "webhook", "dependsOn": ["mail"], "with": {"url": "https://hooks.example/done", "payload": {"ok": true}, "secret": "{{secrets.HOOK}}"}},
           {"id": "script", "connector": "scripted", "dependsOn": ["tell"], "with": {"anything": [1, 2]}}
         ]}
        """;

    /// <summary>Definitions the parser refuses for their shape, each with the pointer it reports.</summary>
    private static readonly (string Definition, string Pointer)[] ShapeErrors =
    [
        ("""{"name": "No id", "steps": [{"id": "a", "type": "transform"}]}""", "/id"),
        ("""{"id": "Bad Id", "name": "n", "steps": [{"id": "a", "type": "transform"}]}""", "/id"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform"}], "owner": "me"}""", "/owner"),
        ("""{"id": "wf", "name": "", "steps": [{"id": "a", "type": "transform"}]}""", "/name"),
        ("""{"id": "wf", "name": "n", "steps": []}""", "/steps"),
        ("""{"id": "wf", "name": "n", "inputSchema": 5, "steps": [{"id": "a", "type": "transform"}]}""", "/inputSchema"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "A-1", "type": "transform"}]}""", "/steps/0/id"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "sleep"}]}""", "/steps/0/type"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "connector": "http"}]}""", "/steps/0"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "ftp"}]}""", "/steps/0/connector"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "with": [1]}]}""", "/steps/0/with"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "dependsOn": "b"}]}""", "/steps/0/dependsOn"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "onFailure": "maybe"}]}""", "/steps/0/onFailure"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "retry": {"maxAttempts": 0}}]}""", "/steps/0/retry/maxAttempts"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "retry": {"maxAttempts": 2, "jitter": true}}]}""", "/steps/0/retry/jitter"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "timeout": 30}]}""", "/steps/0/timeout"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "sideEffect": "none"}]}""", "/steps/0/sideEffect"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "artifacts": [{"name": "n", "type": "json"}]}]}""", "/steps/0/artifacts/0/value"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "artifacts": [{"name": "n", "type": "Word", "value": 1}]}]}""", "/steps/0/artifacts/0/type"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "delay"}]}""", "/steps/0/with/duration"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "approval", "retry": {"maxAttempts": 2}}]}""", "/steps/0/retry"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "approval", "with": {"quorum": 0}}]}""", "/steps/0/with/quorum"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "approval", "with": {"onTimeout": "later", "timeout": "P1D"}}]}""", "/steps/0/with/onTimeout"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "approval", "notify": [{"connector": "ai"}]}]}""", "/steps/0/notify/0/connector"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "type": "transform", "notify": []}]}""", "/steps/0/notify"),
        ("""{"id": "wf", "name": "n", "triggers": [{"type": "timer"}], "steps": [{"id": "a", "type": "transform"}]}""", "/triggers/0/type"),
        ("""{"id": "wf", "name": "n", "triggers": [{"type": "cron"}], "steps": [{"id": "a", "type": "transform"}]}""", "/triggers/0/schedule"),
        ("""{"id": "wf", "name": "n", "triggers": [{"type": "cron", "schedule": "* * * * *", "overlap": "queue"}], "steps": [{"id": "a", "type": "transform"}]}""", "/triggers/0/overlap"),
        ("""{"id": "wf", "name": "n", "triggers": [{"type": "webhook", "secret": "hunter2"}], "steps": [{"id": "a", "type": "transform"}]}""", "/triggers/0/secret"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "http", "with": {"method": "GET"}}]}""", "/steps/0/with/url"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "http", "with": {"method": "FETCH", "url": "https://x.example"}}]}""", "/steps/0/with/method"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "http", "with": {"method": "GET", "url": "https://x.example", "verb": "x"}}]}""", "/steps/0/with/verb"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "webhook", "with": {"url": "ftp://x.example"}}]}""", "/steps/0/with/url"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "slack", "with": {"webhookUrl": "https://h.example", "buttons": [{"text": "t"}]}}]}""", "/steps/0/with/buttons/0/url"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "email", "with": {"host": "h", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t", "attachments": ["draft/note"]}}]}""", "/steps/0/with/attachments/0"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "email", "with": {"host": "h", "port": 0, "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t"}}]}""", "/steps/0/with/port"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "ai", "with": {"baseUrl": "https://x.example", "model": "m", "messages": []}}]}""", "/steps/0/with/messages"),
        ("""{"id": "wf", "name": "n", "steps": [{"id": "a", "connector": "ai", "with": {"baseUrl": "https://x.example", "model": "m", "messages": [{"role": "robot", "content": "x"}]}}]}""", "/steps/0/with/messages/0/role"),
    ];

    [Fact(Timeout = 60_000)]
    public async Task Every_definition_the_parser_accepts_matches_the_published_schema()
    {
        var schema = await PublishedSchemaAsync();
        var parser = Services.GetRequiredService<WorkflowDefinitionParser>();
        var demos = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "demo"), "*.json").Select(File.ReadAllText).ToList();
        Assert.NotEmpty(demos);

        foreach (var definition in demos.Concat([EveryKind, PairWorkflow, SlowWorkflow]))
        {
            var parsed = parser.Parse(definition);
            Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
            var errors = schema.Validate(definition);
            Assert.True(errors.Count == 0, $"{JsonNode.Parse(definition)!["id"]}: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_sample_the_parser_refuses_for_its_shape_is_refused_by_the_published_schema()
    {
        var schema = await PublishedSchemaAsync();
        var parser = Services.GetRequiredService<WorkflowDefinitionParser>();

        foreach (var (definition, pointer) in ShapeErrors)
        {
            var parsed = parser.Parse(definition);

            Assert.True(parsed.Errors.Any(e => e.Pointer == pointer), $"the parser did not refuse {pointer} in {definition}");
            Assert.True(schema.Validate(definition).Count > 0, $"the schema accepts {definition}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Creating_and_versioning_a_workflow_take_the_definition_schema_with_each_connectors_arguments()
    {
        using var admin = Admin();
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", Timeout))!;
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal("#/components/schemas/WorkflowDefinition",
            document["paths"]!["/v1/workflows"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/WorkflowVersionDefinition",
            document["paths"]!["/v1/workflows/{id}"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        foreach (var connector in new[] { "Http", "Webhook", "Slack", "Email", "Ai" })
        {
            Assert.False(schemas[connector + "ConnectorArguments"]!["additionalProperties"]!.GetValue<bool>());
        }

        Assert.Equal(["host", "from", "to", "subject"], schemas["EmailConnectorArguments"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("Default: starttls.", schemas["EmailConnectorArguments"]!["properties"]!["tls"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // The document's components as a JSON Schema whose root is the definition; references move from components to definitions.
    private async Task<JsonSchema> PublishedSchemaAsync()
    {
        using var admin = Admin();
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", Timeout))!;
        var definitions = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var root = new JsonObject { ["$ref"] = "#/definitions/" + WorkflowDefinitionSchema.Definition, ["definitions"] = JsonNode.Parse(definitions) };
        return await JsonSchema.FromJsonAsync(root.ToJsonString(), Timeout);
    }
}
