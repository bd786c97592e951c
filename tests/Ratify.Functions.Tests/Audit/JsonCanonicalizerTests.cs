using System.Text.Json.Nodes;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Tests.Audit;

public sealed class JsonCanonicalizerTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(4.5, "4.5")]
    [InlineData(0.002, "0.002")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "1e-7")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e30, "1e+30")]
    [InlineData(333333333.3333333, "333333333.3333333")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(123456789012.5, "123456789012.5")]
    public void FormatNumber_Double_WritesEcmaScriptForm(double value, string expected) =>
        Assert.Equal(expected, JsonCanonicalizer.FormatNumber(value));

    [Fact]
    public void FormatNumber_NegativeZero_WritesZero() => Assert.Equal("0", JsonCanonicalizer.FormatNumber(-0.0));

    [Fact]
    public void ToText_Rfc8785Example_MatchesTheRfc()
    {
        // RFC 8785 section 3.2.2 example, with the numbers and strings of its input.
        var input = JsonNode.Parse("""
            {"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
             "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
             "literals": [null, true, false]}
            """);
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27]," +
            "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        Assert.Equal(expected, JsonCanonicalizer.ToText(input));
    }

    [Fact]
    public void ToText_NumberBeyondADouble_WritesItsExactValue()
    {
        var input = JsonNode.Parse("""{"big": 1e400, "negative": -12.50E+399, "tiny": 1e-400}""");
        Assert.Equal("{\"big\":1e+400,\"negative\":-1.25e+400,\"tiny\":1e-400}", JsonCanonicalizer.ToText(input));
    }

    [Fact]
    public void ToText_PropertyNames_SortByUtf16CodeUnits()
    {
        // RFC 8785 section 3.2.3: "\u20ac" (one unit) sorts before "\ud83d\ude00" (a surrogate pair) and after "\u00e9".
        var input = new JsonObject { ["\u20ac"] = 1, ["\ud83d\ude00"] = 2, ["\u00e9"] = 3, ["a"] = 4, ["B"] = 5 };
        Assert.Equal("{\"B\":5,\"a\":4,\"é\":3,\"€\":1,\"😀\":2}", JsonCanonicalizer.ToText(input));
    }

    [Fact]
    public void ToText_SameValueBuiltDifferently_GivesTheSameText()
    {
        var parsed = JsonNode.Parse("""{ "b" : [1.0, {"y": 2, "x": "t"}], "a": null }""");
        var built = new JsonObject { ["a"] = null, ["b"] = new JsonArray(1, new JsonObject { ["x"] = "t", ["y"] = 2L }) };
        Assert.Equal(JsonCanonicalizer.ToText(parsed), JsonCanonicalizer.ToText(built));
    }
}
