using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class ConditionTests
{
    private readonly ExpressionEngine _engine = new();

    [Theory]
    [InlineData("steps.fetch.output.body.amount > 10000", true)]
    [InlineData("steps.fetch.output.body.amount >= 12000.5", true)]
    [InlineData("steps.fetch.output.body.amount < 10000", false)]
    [InlineData("input.count <= 3", true)]
    [InlineData("input.dealId == 'd_8k2x'", true)]
    [InlineData("input.dealId != \"d_8k2x\"", false)]
    [InlineData("input.count === 3 && input.ok", true)]
    [InlineData("input.count !== 3 || !input.ok", false)]
    [InlineData("!(input.count > 1 && input.count < 3)", true)]
    [InlineData("input.nothing == null", true)]
    [InlineData("input.missing.deep == null", true)]
    [InlineData("input.missing", false)]
    [InlineData("input.tags[1] == 'b'", true)]
    [InlineData("input.owner", true)]
    [InlineData("input.count % 2 == 1 ? true : false", true)]
    [InlineData("-input.count < 0", true)]
    [InlineData("input.count > 10 ?? false", false)]
    [InlineData("0", false)]
    [InlineData("'text'", true)]
    [InlineData("run.startedAt < '2025'", true)]
    [InlineData("{{ input.ok }}", true)]
    public void EvaluateCondition_Expression_UsesJavaScriptSemantics(string condition, bool expected)
    {
        Assert.Equal(expected, _engine.EvaluateCondition(condition, TemplateRenderingTests.Scope()));
    }

    [Fact]
    public void EvaluateCondition_ManyThreadsSharingOneEngine_EachSeesItsOwnScope()
    {
        var results = new bool[2000];

        Parallel.For(0, results.Length, i =>
        {
            var scope = new System.Text.Json.Nodes.JsonObject { ["input"] = new System.Text.Json.Nodes.JsonObject { ["n"] = i } };
            results[i] = _engine.EvaluateCondition("input.n % 2 == 0 && input.n >= 0", scope);
        });

        Assert.All(Enumerable.Range(0, results.Length), i => Assert.Equal(i % 2 == 0, results[i]));
    }

    [Theory]
    [InlineData("input.x = 1", "an assignment")]
    [InlineData("input.x++", "an assignment")]
    [InlineData("input.f()", "a call")]
    [InlineData("new Date()", "a call")]
    [InlineData("(() => 1)", "a function")]
    [InlineData("function () { while (true) {} }", "a function")]
    [InlineData("input.a, input.b", "a comma sequence")]
    [InlineData("while (true) {}", "does not parse")]
    [InlineData("input.a; input.b", "does not parse")]
    [InlineData("`${input.a}`", "TemplateLiteral")]
    [InlineData("[1, 2]", "ArrayExpression")]
    [InlineData("({a: 1})", "ObjectExpression")]
    [InlineData("typeof input", "TypeOf")]
    [InlineData("'a' in input", "In")]
    [InlineData("/x/.test", "not allowed")]
    [InlineData("input[input.key]", "number or a quoted key")]
    [InlineData("input[-1]", "number or a quoted key")]
    [InlineData("input[1.5]", "whole number")]
    [InlineData("globalThis.process", "unknown name 'globalThis'")]
    [InlineData("this", "'ThisExpression'")]
    [InlineData("output.x", "unknown name 'output'")]
    [InlineData("steps", "must be followed by a step id")]
    [InlineData("steps[0].output", "must be followed by a step id")]
    [InlineData("secrets", "only available in a connector step")]
    [InlineData("", "empty")]
    public void ParseCondition_ForbiddenConstruct_IsRefused(string condition, string message)
    {
        var result = ExpressionEngine.ParseCondition(condition);

        Assert.False(result.IsValid);
        Assert.True(result.Errors.Any(e => e.Contains(message, StringComparison.Ordinal)), string.Join("; ", result.Errors));
    }

    [Fact]
    public void ParseCondition_TooLong_IsRefused()
    {
        var condition = string.Join(" && ", Enumerable.Repeat("input.ok", 200));

        Assert.Contains("longer than 1000", Assert.Single(ExpressionEngine.ParseCondition(condition).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateCondition_InvalidCondition_ThrowsWithClearMessage()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => _engine.EvaluateCondition("input.f()", TemplateRenderingTests.Scope()));

        Assert.Equal("input.f()", error.Expression);
        Assert.Contains("a call is not allowed", error.Message, StringComparison.Ordinal);
    }
}
