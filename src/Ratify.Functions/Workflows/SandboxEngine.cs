using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime;
using JintJsonParser = Jint.Native.Json.JsonParser;
using JintJsonSerializer = Jint.Native.Json.JsonSerializer;

namespace Ratify.Functions.Workflows;

/// <summary>Creates the Jint engines that evaluate expressions (strict, bounded, no way to reach .NET) and moves data in and out as JSON.</summary>
internal static class SandboxEngine
{
    public static Engine Create(ExpressionLimits limits) => new(options =>
    {
        options.Strict();
        options.Interop.Enabled = false;
        options.Host.StringCompilationAllowed = false;
        options.TimeoutInterval(limits.Timeout);
        options.LimitMemory(limits.MemoryBytes);
        options.MaxStatements(limits.MaxStatements);
        options.LimitRecursion(limits.MaxRecursion);
        options.MaxArraySize(limits.MaxArraySize);
        options.MaxJsonParseDepth(limits.MaxJsonDepth);
        options.RegexTimeoutInterval(limits.Timeout);
    });

    public static string? ToJson(Engine engine, JsValue value)
    {
        if (value.IsUndefined())
        {
            return null;
        }

        var json = new JintJsonSerializer(engine).Serialize(value);
        return json.IsUndefined() ? null : json.AsString();
    }

    public static void Bind(Engine engine, IReadOnlyList<CompiledExpression> expressions, JsonObject scope, Func<string, string?>? secrets, string text)
    {
        var roots = expressions.Aggregate(ExpressionRoots.None, (all, e) => all | e.Roots);
        var parser = new JintJsonParser(engine);
        JsValue ToJs(JsonNode? node) => node is null ? JsValue.Undefined : Guard(text, () => parser.Parse(node.ToJsonString()));

        engine.SetValue("input", roots.HasFlag(ExpressionRoots.Input) ? ToJs(scope["input"]) : JsValue.Undefined);
        engine.SetValue("run", roots.HasFlag(ExpressionRoots.Run) ? ToJs(scope["run"]) : JsValue.Undefined);
        engine.SetValue("output", roots.HasFlag(ExpressionRoots.Output) ? ToJs(scope["output"]) : JsValue.Undefined);
        engine.SetValue("body", roots.HasFlag(ExpressionRoots.Body) ? ToJs(scope["body"]) : JsValue.Undefined);

        // Only the steps and secrets that the expressions name are handed over: less to convert, nothing to leak.
        var steps = new JsonObject();
        var stepOutputs = scope["steps"] as JsonObject;
        foreach (var id in expressions.SelectMany(e => e.Steps).Distinct(StringComparer.Ordinal))
        {
            if (stepOutputs?[id] is { } step)
            {
                steps[id] = step.DeepClone();
            }
        }

        var secretValues = new JsonObject();
        foreach (var name in expressions.SelectMany(e => e.Secrets).Distinct(StringComparer.Ordinal))
        {
            secretValues[name] = secrets is null ? scope["secrets"]?[name]?.DeepClone() : secrets(name);
        }

        engine.SetValue("steps", ToJs(steps));
        engine.SetValue("secrets", ToJs(secretValues));
    }

    public static T Guard<T>(string text, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TimeoutException e)
        {
            throw new ExpressionEvaluationException(text, "it ran out of time", e);
        }
        catch (MemoryLimitExceededException e)
        {
            throw new ExpressionEvaluationException(text, "it used too much memory", e);
        }
        catch (JintException e)
        {
            throw new ExpressionEvaluationException(text, e.Message, e);
        }
    }
}
