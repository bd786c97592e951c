using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class TemplateRenderingTests
{
    private readonly ExpressionEngine _engine = new();

    internal static JsonObject Scope() => Definitions.Node("""
        {"input": {"dealId": "d_8k2x", "count": 3, "ok": true, "tags": ["a", "b"], "owner": {"name": "Ana"}, "nothing": null,
                   "sneaky": "{{input.dealId}}", "weird key": 1},
         "steps": {"fetch": {"output": {"body": {"amount": 12000.5, "items": [{"sku": "x1"}]}}},
                   "other": {"output": {"secret": "must not leak"}}},
         "run": {"id": "run_f4a9c2", "workflowId": "deal-alert-pipeline", "startedAt": "2024-05-01T10:00:00Z"}}
        """);

    [Theory]
    [InlineData("{{input.count}}", "3")]
    [InlineData("  {{ input.ok }}  ", "true")]
    [InlineData("{{input.tags}}", """["a","b"]""")]
    [InlineData("{{input.owner}}", """{"name":"Ana"}""")]
    [InlineData("{{input.nothing}}", "null")]
    [InlineData("{{input.dealId}}", "\"d_8k2x\"")]
    [InlineData("{{steps.fetch.output.body.amount}}", "12000.5")]
    [InlineData("{{steps.fetch.output.body.items[0].sku}}", "\"x1\"")]
    [InlineData("{{input['weird key']}}", "1")]
    [InlineData("{{input.count * 2 + 1}}", "7")]
    [InlineData("{{input.missing.deeper[3]}}", "null")]
    public void RenderTemplate_WholeStringTemplate_KeepsJsonType(string template, string expected)
    {
        var rendered = _engine.RenderTemplate(JsonValue.Create(template), Scope());

        Assert.Equal(expected, rendered?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("Deal {{input.dealId}} x{{ input.count }}", "Deal d_8k2x x3")]
    [InlineData("tags={{input.tags}} owner={{input.owner}}", """tags=["a","b"] owner={"name":"Ana"}""")]
    [InlineData("[{{input.missing}}][{{input.nothing}}]", "[][]")]
    [InlineData("{{input.ok}}!", "true!")]
    [InlineData("{{run.id}}/{{run.workflowId}}", "run_f4a9c2/deal-alert-pipeline")]
    [InlineData("no template at all", "no template at all")]
    [InlineData("{{ \"{{\" }} is literal", "{{ is literal")]
    public void RenderTemplate_EmbeddedTemplate_ConcatenatesText(string template, string expected)
    {
        var rendered = _engine.RenderTemplate(JsonValue.Create(template), Scope());

        Assert.Equal(expected, rendered!.GetValue<string>());
    }

    [Fact]
    public void RenderTemplate_ValueContainingTemplate_StaysLiteral()
    {
        var rendered = _engine.RenderTemplate(Definitions.Node("""{"a": "{{input.sneaky}}", "b": "x {{input.sneaky}} y"}"""), Scope());

        Assert.Equal("{{input.dealId}}", rendered!["a"]!.GetValue<string>());
        Assert.Equal("x {{input.dealId}} y", rendered["b"]!.GetValue<string>());
    }

    [Fact]
    public void RenderTemplate_WholeObject_RendersEveryStringAndKeepsTheRest()
    {
        var with = Definitions.Node("""
            {"method": "POST", "url": "https://crm.example/deals/{{input.dealId}}", "retries": 2,
             "body": {"amount": "{{steps.fetch.output.body.amount}}", "tags": ["{{input.tags[1]}}", false, null]}}
            """);

        var rendered = _engine.RenderTemplate(with, Scope());

        Assert.Equal(
            """{"method":"POST","url":"https://crm.example/deals/d_8k2x","retries":2,"body":{"amount":12000.5,"tags":["b",false,null]}}""",
            rendered!.ToJsonString());
        Assert.Equal("{{input.dealId}}", with["url"]!.GetValue<string>()[26..]);
    }

    [Fact]
    public void RenderTemplate_ManyTemplates_EachGetsItsOwnEvaluationBudget()
    {
        var with = new JsonObject();
        for (var i = 0; i < 500; i++)
        {
            with["k" + i] = "{{ input.count + " + i + " }}";
        }

        var rendered = _engine.RenderTemplate(with, Scope())!;

        Assert.Equal(502, rendered["k499"]!.GetValue<int>());
    }

    [Fact]
    public void RenderTemplate_Secrets_ComeFromTheLookupOnlyWhenNamed()
    {
        var asked = new List<string>();
        string? Lookup(string name)
        {
            asked.Add(name);
            return name == "API_KEY" ? "sk-123" : null;
        }

        var rendered = _engine.RenderTemplate(Definitions.Node("""{"auth": "Bearer {{secrets.API_KEY}}", "none": "{{secrets.MISSING}}"}"""), Scope(), Lookup);

        Assert.Equal("Bearer sk-123", rendered!["auth"]!.GetValue<string>());
        Assert.Null(rendered["none"]);
        Assert.Equal(["API_KEY", "MISSING"], asked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RenderTemplate_ArtifactScope_ReadsOutput()
    {
        var scope = Scope();
        scope["output"] = new JsonObject { ["text"] = "# Draft" };

        var rendered = _engine.RenderTemplate(JsonValue.Create("{{output.text}}"), scope);

        Assert.Equal("# Draft", rendered!.GetValue<string>());
    }

    [Fact]
    public void RenderTemplate_InvalidTemplate_ThrowsEvaluationError()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => _engine.RenderTemplate(JsonValue.Create("{{ this.constructor }}"), Scope()));

        Assert.Contains("not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTemplate_ListsStepsAndSecretsRead()
    {
        var result = ExpressionEngine.ParseTemplate("{{ steps.a.output.x }} {{ steps['b'].output }} {{ secrets.KEY }} {{ steps.a.output.y }}");

        Assert.True(result.IsValid);
        Assert.Equal(["a", "b"], result.StepReferences.Order(StringComparer.Ordinal));
        Assert.Equal(["KEY"], result.SecretReferences);
    }
}
