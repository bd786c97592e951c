using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

/// <summary>Definitions for the tests: the example, and a parser that knows <c>http</c> and <c>slack</c>.</summary>
internal static class Definitions
{
    public const string DealAlert = """
        {"id": "deal-alert-pipeline", "name": "Deal alert pipeline", "description": "Alerts on big deals",
         "inputSchema": {"type": "object", "required": ["dealId"], "properties": {"dealId": {"type": "string"}}},
         "steps": [
           {"id": "fetch", "connector": "http", "with": {"method": "GET", "url": "https://crm.example/deals/{{input.dealId}}"},
            "retry": {"maxAttempts": 3, "backoff": "exponential", "initialInterval": "PT2S"}, "timeout": "PT30S"},
           {"id": "score", "type": "transform", "dependsOn": ["fetch"], "with": {"value": "{{steps.fetch.output.body.amount}}"}},
           {"id": "notify", "connector": "slack", "dependsOn": ["score"], "if": "steps.score.output.value > 10000",
            "with": {"url": "https://hooks.example/x", "text": "Big deal {{input.dealId}}"}, "onFailure": "continue",
            "artifacts": [{"name": "draft", "type": "markdown", "value": "{{output.text}}"}]}
         ]}
        """;

    public static WorkflowDefinitionParser Parser() => new([new FakeConnector("http"), new FakeConnector("slack")]);

    /// <summary>A minimal valid definition whose steps are the given JSON objects.</summary>
    public static string WithSteps(params string[] steps) =>
        $$"""{"id": "wf", "name": "Test", "steps": [{{string.Join(",", steps)}}]}""";

    public static DefinitionParseResult Parse(string json) => Parser().Parse(json);

    public static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();
}
