using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>The upstream steps whose outputs one step's templates and condition read, so that running it reads only those.</summary>
public static class StepReferences
{
    // A definition version never changes, so each step is parsed once while its definition is cached.
    private static readonly ConditionalWeakTable<StepDefinition, Found> Parsed = new();

    /// <summary>The step ids <paramref name="step"/> refers to as <c>steps.ID…</c>; null when an expression does not parse (read every output then).</summary>
    public static IReadOnlySet<string>? Of(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Parsed.GetValue(step, s => new Found(Find(s))).Steps;
    }

    private static HashSet<string>? Find(StepDefinition step)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (step.If is { } condition && !Collect(ExpressionEngine.ParseCondition(condition, ExpressionRoots.All), found))
        {
            return null;
        }

        // Every other string of the step (with, artifacts, notifications) may hold templates.
        return Walk(JsonSerializer.SerializeToNode(step with { If = null }), found) ? found : null;
    }

    private static bool Walk(JsonNode? node, HashSet<string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.All(p => Walk(p.Value, found));
            case JsonArray array:
                return array.All(item => Walk(item, found));
            case JsonValue value when value.TryGetValue<string>(out var text) && ExpressionEngine.ContainsTemplate(text):
                return Collect(ExpressionEngine.ParseTemplate(text, ExpressionRoots.All), found);
            default:
                return true;
        }
    }

    private static bool Collect(ExpressionParseResult result, HashSet<string> found)
    {
        found.UnionWith(result.StepReferences);
        return result.IsValid;
    }

    private sealed record Found(IReadOnlySet<string>? Steps);
}
