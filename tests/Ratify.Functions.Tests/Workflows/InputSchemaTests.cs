using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class InputSchemaTests
{
    private const string Schema = """
        {"type": "object", "required": ["dealId", "amount"], "additionalProperties": false,
         "properties": {
           "dealId": {"type": "string", "pattern": "^d_"},
           "amount": {"type": "integer", "minimum": 1},
           "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
           "stage": {"enum": ["open", "won"]},
           "owner": {"type": "object", "properties": {"email": {"type": "string", "minLength": 3}}},
           "closedAt": {"type": "string"}
         }}
        """;

    [Theory]
    [InlineData("""{"type": "strnig"}""", "/inputSchema/type", "must be one of")]
    [InlineData("""{"required": "dealId"}""", "/inputSchema/required", "distinct property names")]
    [InlineData("""{"properties": {"a": {"minLength": -1}}}""", "/inputSchema/properties/a/minLength", "at least 0")]
    [InlineData("""{"properties": {"a": {"pattern": "(unclosed"}}}""", "/inputSchema/properties/a/pattern", "not a valid regular expression")]
    [InlineData("""{"properties": {"a": 5}}""", "/inputSchema/properties/a", "object or a boolean")]
    [InlineData("""{"anyOf": []}""", "/inputSchema/anyOf", "non-empty array")]
    [InlineData("""{"$ref": "https://schemas.example/deal.json"}""", "/inputSchema/$ref", "point inside the schema")]
    [InlineData("""{"$ref": "#/definitions/missing"}""", "/inputSchema", "not a valid JSON Schema")]
    [InlineData("""[]""", "/inputSchema", "must be a JSON Schema object")]
    public void Parse_InvalidInputSchema_ReportsItsPointer(string schema, string pointer, string message)
    {
        var json = $$"""{"id": "wf", "name": "x", "inputSchema": {{schema}}, "steps": [{"id": "a", "type": "transform"}]}""";

        WorkflowDefinitionParserTests.AssertError(Definitions.Parse(json), pointer, message);
    }

    [Fact]
    public void Validate_ValidInput_HasNoErrors()
    {
        var errors = InputValidator.Validate(Definitions.Node(Schema), JsonNode.Parse("""{"dealId": "d_8k2x", "amount": 12000, "closedAt": "2024-01-01T00:00:00Z"}"""));

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_NoSchema_AcceptsAnything()
    {
        Assert.Empty(InputValidator.Validate(null, JsonNode.Parse("[1, 2]")));
    }

    [Fact]
    public void Validate_SeveralViolations_ListsEachWithItsPointer()
    {
        var input = JsonNode.Parse("""
            {"dealId": "x_1", "tags": ["a", 2, "c"], "stage": "lost", "owner": {"email": "a"}, "extra": true}
            """);

        var errors = InputValidator.Validate(Definitions.Node(Schema), input);

        var byPointer = errors.ToDictionary(e => e.Pointer, e => e.Message);
        Assert.Equal("'amount' is required", byPointer["/amount"]);
        Assert.Equal("'dealId' does not match the pattern ^d_", byPointer["/dealId"]);
        Assert.Equal("'1' must be a string", byPointer["/tags/1"]);
        Assert.Equal("'tags' must have at most 2 items", byPointer["/tags"]);
        Assert.Equal("'stage' must be one of: \"open\", \"won\"", byPointer["/stage"]);
        Assert.Equal("'email' must be at least 3 characters long", byPointer["/owner/email"]);
        Assert.Equal("'extra' is not an allowed property", byPointer["/extra"]);
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void Validate_NumberBelowMinimum_SaysTheBound()
    {
        var errors = InputValidator.Validate(Definitions.Node(Schema), JsonNode.Parse("""{"dealId": "d_1", "amount": 0}"""));

        Assert.Equal([new InputError("/amount", "'amount' must be at least 1")], errors);
    }

    [Fact]
    public void Validate_WrongRootType_PointsAtTheRoot()
    {
        var errors = InputValidator.Validate(Definitions.Node(Schema), JsonNode.Parse("[]"));

        Assert.Equal([new InputError("", "the input must be an object")], errors);
    }

    [Fact]
    public void Validate_MissingInput_IsNull()
    {
        var errors = InputValidator.Validate(Definitions.Node(Schema), null);

        Assert.Equal("", Assert.Single(errors).Pointer);
    }
}
