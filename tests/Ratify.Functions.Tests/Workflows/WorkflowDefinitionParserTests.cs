using System.Text.Json;
using Ratify.Connectors;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class WorkflowDefinitionParserTests
{
    [Fact]
    public void Parse_IssueExample_ReturnsModel()
    {
        var result = Definitions.Parse(Definitions.DealAlert);

        Assert.Empty(result.Errors);
        var definition = Assert.IsType<WorkflowDefinition>(result.Definition);
        Assert.Equal("deal-alert-pipeline", definition.Id);
        Assert.Equal(["fetch", "score", "notify"], definition.Steps.Select(s => s.Id));
        Assert.Equal("http", definition.Steps[0].Connector);
        Assert.Equal(3, definition.Steps[0].Retry!.MaxAttempts);
        Assert.Equal(RetryBackoff.Exponential, definition.Steps[0].Retry!.Backoff);
        Assert.Equal("PT30S", definition.Steps[0].Timeout);
        Assert.Equal(StepTypes.Transform, definition.Steps[1].Type);
        Assert.Equal(["fetch"], definition.Steps[1].Dependencies);
        Assert.Equal(OnFailurePolicy.Continue, definition.Steps[2].OnFailure);
        Assert.Equal("draft", definition.Steps[2].Artifacts![0].Name);
        Assert.Equal("string", definition.InputSchema!["properties"]!["dealId"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_ModelSerialized_RoundTripsToTheSameJson()
    {
        var definition = Definitions.Parse(Definitions.DealAlert).Definition!;

        var json = JsonSerializer.Serialize(definition, WorkflowJson.Options);
        var again = Definitions.Parse(json);

        Assert.True(again.IsValid, string.Join("; ", again.Errors));
        Assert.Equal(json, JsonSerializer.Serialize(again.Definition, WorkflowJson.Options));
        Assert.Contains("\"onFailure\":\"continue\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SideEffectOverride_IsReadAsEnum()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "connector": "http", "with": {"url": "u"}, "sideEffect": "irreversible"}"""));

        Assert.Equal(SideEffect.Irreversible, result.Definition!.Steps[0].SideEffect);
    }

    [Theory]
    [InlineData("""{"name": "x", "steps": [{"id": "a", "type": "transform"}]}""", "/id", "needs an id")]
    [InlineData("""{"id": "Bad Id", "name": "x", "steps": [{"id": "a", "type": "transform"}]}""", "/id", "^[a-z][a-z0-9_-]{0,62}$")]
    [InlineData("""{"id": 5, "name": "x", "steps": [{"id": "a", "type": "transform"}]}""", "/id", "must be a string")]
    [InlineData("""{"id": "wf", "steps": [{"id": "a", "type": "transform"}]}""", "/name", "needs a name")]
    [InlineData("""{"id": "wf", "name": "x"}""", "/steps", "needs steps")]
    [InlineData("""{"id": "wf", "name": "x", "steps": []}""", "/steps", "non-empty")]
    [InlineData("""{"id": "wf", "name": "x", "steps": [{"id": "a", "type": "transform"}], "stepz": 1}""", "/stepz", "unknown property")]
    [InlineData("""{"id": "wf", "name": "x", "steps": [{"id": "a", "type": "transform"}], "triggers": {}}""", "/triggers", "must be an array")]
    [InlineData("""[1]""", "", "must be a JSON object")]
    [InlineData("""{"id": "wf", """, "", "not valid JSON")]
    [InlineData("""{"id": "wf", "id": "wf2", "name": "x", "steps": [{"id": "a", "type": "transform"}]}""", "", "not valid JSON")]
    public void Parse_BadWorkflowField_ReportsItsPointer(string json, string pointer, string message) =>
        AssertError(Definitions.Parse(json), pointer, message);

    [Theory]
    [InlineData("""{"type": "transform"}""", "/steps/0/id", "needs an id")]
    [InlineData("""{"id": "Fetch-1", "type": "transform"}""", "/steps/0/id", "^[a-z][a-zA-Z0-9_]{0,62}$")]
    [InlineData("""{"id": "a"}""", "/steps/0", "needs a type")]
    [InlineData("""{"id": "a", "type": "transform", "connector": "http"}""", "/steps/0", "not both")]
    [InlineData("""{"id": "a", "type": "sleep"}""", "/steps/0/type", "unknown step type")]
    [InlineData("""{"id": "a", "connector": "ftp"}""", "/steps/0/connector", "unknown connector \"ftp\": use one of http, slack")]
    [InlineData("""{"id": "a", "connector": "http", "with": {"method": "GET"}}""", "/steps/0/with/url", "url is required")]
    [InlineData("""{"id": "a", "type": "transform", "with": [1]}""", "/steps/0/with", "must be an object")]
    [InlineData("""{"id": "a", "type": "delay"}""", "/steps/0/with/duration", "needs with.duration")]
    [InlineData("""{"id": "a", "type": "delay", "with": {"duration": "5 minutes"}}""", "/steps/0/with/duration", "ISO 8601")]
    [InlineData("""{"id": "a", "type": "delay", "with": {"duration": "P1M"}}""", "/steps/0/with/duration", "ISO 8601")]
    [InlineData("""{"id": "a", "type": "delay", "with": {"duration": "P400D"}}""", "/steps/0/with/duration", "longer than the maximum")]
    [InlineData("""{"id": "a", "type": "transform", "timeout": "30s"}""", "/steps/0/timeout", "ISO 8601")]
    [InlineData("""{"id": "a", "type": "transform", "timeout": "-PT1S"}""", "/steps/0/timeout", "positive")]
    [InlineData("""{"id": "a", "type": "transform", "onFailure": "ignore"}""", "/steps/0/onFailure", "\"fail\" or \"continue\"")]
    [InlineData("""{"id": "a", "type": "transform", "sideEffect": "none"}""", "/steps/0/sideEffect", "read, idempotent, irreversible")]
    [InlineData("""{"id": "a", "type": "transform", "dependOn": ["b"]}""", "/steps/0/dependOn", "unknown property")]
    [InlineData("""{"id": "a", "type": "transform", "if": 1}""", "/steps/0/if", "must be a string")]
    [InlineData("""{"id": "a", "type": "transform", "if": "input.x = 1"}""", "/steps/0/if", "an assignment")]
    [InlineData("""{"id": "a", "type": "transform", "with": {"x": "{{ input.x "}}""", "/steps/0/with/x", "not closed")]
    [InlineData("""{"id": "a", "type": "transform", "with": {"x": ["ok", "{{ env.HOME }}"]}}""", "/steps/0/with/x/1", "unknown name 'env'")]
    [InlineData("""{"id": "a", "type": "transform", "with": {"a/b": "{{ output.x }}"}}""", "/steps/0/with/a~1b", "unknown name 'output'")]
    [InlineData("""{"id": "a", "type": "transform", "with": {"x": "{{ input.x; }}"}}""", "/steps/0/with/x", "does not parse")]
    public void Parse_BadStepField_ReportsItsPointer(string step, string pointer, string message) =>
        AssertError(Definitions.Parse(Definitions.WithSteps(step)), pointer, message);

    [Theory]
    [InlineData("""{"maxAttempts": 0}""", "/steps/0/retry/maxAttempts", "from 1 to 20")]
    [InlineData("""{"maxAttempts": 21}""", "/steps/0/retry/maxAttempts", "from 1 to 20")]
    [InlineData("""{"maxAttempts": 2.5}""", "/steps/0/retry/maxAttempts", "whole number")]
    [InlineData("""{"backoff": "fixed"}""", "/steps/0/retry/maxAttempts", "from 1 to 20")]
    [InlineData("""{"maxAttempts": 2, "backoff": "linear"}""", "/steps/0/retry/backoff", "\"fixed\" or \"exponential\"")]
    [InlineData("""{"maxAttempts": 2, "initialInterval": "PT0S"}""", "/steps/0/retry/initialInterval", "positive")]
    [InlineData("""{"maxAttempts": 2, "initialInterval": "P2D"}""", "/steps/0/retry/initialInterval", "longer than the maximum")]
    [InlineData("""{"maxAttempts": 2, "initialInterval": "PT1M", "maxInterval": "PT10S"}""", "/steps/0/retry/maxInterval", "not be shorter")]
    [InlineData("""{"maxAttempts": 2, "backoffCoefficient": 0.5}""", "/steps/0/retry/backoffCoefficient", "from 1 to 10")]
    [InlineData("""{"maxAttempts": 2, "jitter": true}""", "/steps/0/retry/jitter", "unknown property")]
    [InlineData("""3""", "/steps/0/retry", "must be an object")]
    public void Parse_BadRetry_ReportsItsPointer(string retry, string pointer, string message) =>
        AssertError(Definitions.Parse(Definitions.WithSteps($$"""{"id": "a", "type": "transform", "retry": {{retry}}}""")), pointer, message);

    [Theory]
    [InlineData("""[{"name": "bad name", "type": "text", "value": "x"}]""", "/steps/0/artifacts/0/name", "must match")]
    [InlineData("""[{"name": "a", "type": "text", "value": "x"}, {"name": "a", "type": "json", "value": 1}]""", "/steps/0/artifacts/1/name", "declared twice")]
    [InlineData("""[{"name": "a", "type": "pdf", "value": "x"}]""", "/steps/0/artifacts/0/type", "media type")]
    [InlineData("""[{"name": "a", "type": "text"}]""", "/steps/0/artifacts/0/value", "needs a value")]
    [InlineData("""[{"name": "a", "type": "text", "value": "{{ secrets }}"}]""", "/steps/0/artifacts/0/value", "only available in a connector step")]
    [InlineData("""[{"name": "a", "type": "text", "value": {"deep": ["{{ nope.x }}"]}}]""", "/steps/0/artifacts/0/value/deep/0", "unknown name 'nope'")]
    [InlineData("""[{"name": "a", "type": "text", "value": "x", "mime": "y"}]""", "/steps/0/artifacts/0/mime", "unknown property")]
    [InlineData("""{"name": "a"}""", "/steps/0/artifacts", "must be an array")]
    public void Parse_BadArtifact_ReportsItsPointer(string artifacts, string pointer, string message) =>
        AssertError(Definitions.Parse(Definitions.WithSteps($$"""{"id": "a", "type": "transform", "artifacts": {{artifacts}}}""")), pointer, message);

    [Theory]
    [InlineData("application/pdf")]
    [InlineData("email")]
    [InlineData("image/svg+xml")]
    public void Parse_ArtifactTypeOrMediaType_IsAccepted(string type)
    {
        var result = Definitions.Parse(Definitions.WithSteps($$$"""{"id": "a", "type": "transform", "artifacts": [{"name": "report.pdf", "type": "{{{type}}}", "value": "{{output.x}}"}]}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Parse_TemplatedDelayDuration_IsLeftForRunTime()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "delay", "with": {"duration": "{{ input.wait }}"}}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Parse_ConditionWrappedInBraces_IsAccepted()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform"}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"], "if": "{{ steps.a.output.ok == true }}"}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneTogether()
    {
        var result = Definitions.Parse("""
            {"id": "Bad", "name": "", "steps": [
              {"id": "a", "type": "transform"},
              {"id": "a", "connector": "nope"},
              {"id": "c", "type": "transform", "dependsOn": ["ghost"], "timeout": "soon", "with": {"x": "{{ steps.d.output }}"}},
              {"id": "d", "type": "transform", "if": "steps.c.output && f()"}
            ]}
            """);

        Assert.Null(result.Definition);
        Assert.Equal(
            ["/id", "/name", "/steps/1/connector", "/steps/1/id", "/steps/2/dependsOn/0", "/steps/2/timeout", "/steps/2/with/x", "/steps/3/if"],
            result.Errors.Select(e => e.Pointer).Order(StringComparer.Ordinal));
    }

    internal static void AssertError(DefinitionParseResult result, string pointer, string message)
    {
        Assert.Null(result.Definition);
        Assert.True(
            result.Errors.Any(e => e.Pointer == pointer && e.Message.Contains(message, StringComparison.Ordinal)),
            "errors: " + string.Join("; ", result.Errors));
    }
}
