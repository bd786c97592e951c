using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using JintJsonParser = Jint.Native.Json.JsonParser;
using JintJsonSerializer = Jint.Native.Json.JsonSerializer;

namespace Ratify.Functions.Workflows;

/// <summary>Creates the Jint engines that evaluate expressions (strict, bounded, no way to reach .NET) and moves data in and out as JSON.</summary>
internal static class SandboxEngine
{
    // Results are bounded by the memory limit; deeper than this, a value is left as JSON.stringify writes it.
    private const int MaxCheckedDepth = 64;

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

    /// <summary>The value as JSON text, or null for undefined.</summary>
    /// <exception cref="ExpressionEvaluationException">The value holds a number JSON cannot carry (NaN, or beyond a double's range).</exception>
    public static string? ToJson(Engine engine, JsValue value, string expression)
    {
        if (value.IsUndefined())
        {
            return null;
        }

        // JSON.stringify would write these as null: an amount that overflowed must fail loudly, not become null.
        RejectNonFinite(value, expression, depth: 0);
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

    private static void RejectNonFinite(JsValue value, string expression, int depth)
    {
        if (value.IsNumber())
        {
            var number = value.AsNumber();
            if (double.IsNaN(number))
            {
                throw new ExpressionEvaluationException(expression, "its result is NaN (not a number), which JSON cannot hold");
            }

            if (double.IsInfinity(number))
            {
                throw new ExpressionEvaluationException(
                    expression, "its result is a number beyond the range of a double (about ±1.8e308), which JSON cannot hold exactly");
            }
        }
        else if (value is ObjectInstance obj && depth < MaxCheckedDepth)
        {
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                RejectNonFinite(obj.Get(key), expression, depth + 1);
            }
        }
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
