using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

/// <summary>
/// A value passed through a template unchanged keeps its exact JSON text (numbers beyond a double included); arithmetic is on
/// doubles, as in JavaScript, and a result JSON cannot hold (NaN, beyond ±1.8e308) is an error, never a silent null.
/// </summary>
public sealed class ExactNumberTests
{
    private readonly ExpressionEngine _engine = new();

    private static JsonObject Scope() => Definitions.Node("""
        {"input": {"big": 9007199254740993, "huge": 12345678901234567890, "beyond": 1e400, "precise": 0.1000000000000000055511151231257827,
                   "list": [9007199254740993], "deal": {"amount": 12345678901234567890}, "text": "x"},
         "steps": {"fetch": {"output": {"total": 9007199254740993}}},
         "run": {"id": "run_1"}}
        """);

    [Theory]
    [InlineData("{{input.big}}", "9007199254740993")]
    [InlineData("{{ input.huge }}", "12345678901234567890")]
    [InlineData("{{input.beyond}}", "1e400")]
    [InlineData("{{input.precise}}", "0.1000000000000000055511151231257827")]
    [InlineData("{{input.list[0]}}", "9007199254740993")]
    [InlineData("{{input['deal'].amount}}", "12345678901234567890")]
    [InlineData("{{input.deal}}", """{"amount":12345678901234567890}""")]
    [InlineData("{{steps.fetch.output.total}}", "9007199254740993")]
    [InlineData("big {{input.big}}, huge {{input.huge}}", "\"big 9007199254740993, huge 12345678901234567890\"")]
    public void RenderTemplate_ValuePassedThrough_KeepsItsExactJson(string template, string expected)
    {
        var rendered = _engine.RenderTemplate(JsonValue.Create(template), Scope());

        Assert.Equal(expected, rendered!.ToJsonString());
    }

    [Fact]
    public void RenderTemplate_Arithmetic_IsOnDoubles()
    {
        var rendered = _engine.RenderTemplate(JsonValue.Create("{{ input.big + 0 }}"), Scope());

        Assert.Equal("9007199254740992", rendered!.ToJsonString());
    }

    [Theory]
    [InlineData("{{ input.beyond * 1 }}", "beyond the range of a double")]
    [InlineData("{{ input.huge * 1e300 }}", "beyond the range of a double")]
    [InlineData("{{ input.nope ?? input }}", "beyond the range of a double")]
    [InlineData("total: {{ input.beyond - 1 }}", "beyond the range of a double")]
    [InlineData("{{ input.text * 2 }}", "NaN")]
    public void RenderTemplate_ResultJsonCannotHold_IsAnError(string template, string message)
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => _engine.RenderTemplate(JsonValue.Create(template), Scope()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
