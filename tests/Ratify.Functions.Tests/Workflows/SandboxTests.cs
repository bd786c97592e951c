using System.Text.Json.Nodes;
using Jint;
using Jint.Runtime;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class SandboxTests
{
    [Fact]
    public void Create_InfiniteLoop_IsStoppedByTheLimits()
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default with { MaxStatements = int.MaxValue });

        Assert.Throws<TimeoutException>(() => engine.Evaluate("while (true) {}"));
    }

    [Fact]
    public void Create_StatementFlood_IsStoppedByTheStatementLimit()
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default);

        Assert.Throws<StatementsCountOverflowException>(() => engine.Evaluate("for (var i = 0; i < 1000; i++) {}"));
    }

    [Fact]
    public void Create_HugeAllocation_IsStoppedByTheMemoryLimit()
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default with { MaxStatements = int.MaxValue });

        Assert.ThrowsAny<JintException>(() => engine.Evaluate("var s = 'x'; while (true) { s = s + s; }"));
    }

    [Fact]
    public void Create_HugeArray_IsRefused()
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default);

        Assert.ThrowsAny<JintException>(() => engine.Evaluate("new Array(1e9).fill(0)"));
    }

    [Theory]
    [InlineData("System.IO.File")]
    [InlineData("importNamespace('System')")]
    [InlineData("eval('1')")]
    [InlineData("new Function('return 1')()")]
    public void Create_ClrAndStringCompilation_AreUnavailable(string script)
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default);

        Assert.Throws<JavaScriptException>(() => engine.Evaluate(script));
    }

    [Fact]
    public void Create_StrictMode_IsOn()
    {
        var engine = SandboxEngine.Create(ExpressionLimits.Default);

        Assert.Throws<JavaScriptException>(() => engine.Evaluate("undeclared = 1"));
    }

    [Fact]
    public void RenderTemplate_ResultOverTheSizeLimit_ThrowsEvaluationError()
    {
        // Without loops or calls, repeating a large value is the only way an expression can grow its result.
        var engine = new ExpressionEngine(ExpressionLimits.Default with { MaxResultChars = 100_000 });
        var scope = new JsonObject { ["input"] = new JsonObject { ["s"] = new string('x', 30_000) } };

        Assert.Throws<ExpressionEvaluationException>(() => engine.RenderTemplate(JsonValue.Create("{{ input.s + input.s + input.s + input.s }}"), scope));
        Assert.Throws<ExpressionEvaluationException>(() => engine.RenderTemplate(JsonValue.Create("a{{ input.s }}{{ input.s }}{{ input.s }}{{ input.s }}"), scope));
        Assert.NotNull(engine.RenderTemplate(JsonValue.Create("{{ input.s + input.s + input.s }}"), scope));
    }

    [Fact]
    public void RenderTemplate_EvaluationOverTheMemoryLimit_ThrowsEvaluationError()
    {
        // Jint checks limits before each statement, so a one-byte budget shows the limit is wired into expression evaluation.
        var engine = new ExpressionEngine(ExpressionLimits.Default with { MemoryBytes = 1 });
        var scope = new JsonObject { ["input"] = new JsonObject { ["s"] = new string('x', 10_000) } };

        var error = Assert.Throws<ExpressionEvaluationException>(() => engine.RenderTemplate(JsonValue.Create("{{ input.s + input.s + input.s }}"), scope));

        Assert.Contains("too much memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateCondition_PrototypeAccess_YieldsNoFunctionToCall()
    {
        var engine = new ExpressionEngine();
        var scope = new JsonObject { ["input"] = new JsonObject() };

        var rendered = engine.RenderTemplate(JsonValue.Create("{{ input.constructor }}"), scope);

        Assert.Null(rendered);
    }
}
