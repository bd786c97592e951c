using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace Ratify.Functions.Workflows;

/// <summary>Parses and evaluates templates (<c>{{ path }}</c>) and conditions in a bounded Jint sandbox.</summary>
/// <remarks>
/// Rendering is single pass: only the strings of the definition are parsed as templates; a value
/// read from the input or a step output is data and is never parsed again, even if it contains
/// <c>{{</c>. Member access is null-safe: a missing path is <c>undefined</c>, which renders as
/// JSON <c>null</c> when the template is the whole string and as an empty string inside text, and
/// is falsy in a condition. There is no escape for a literal <c>{{</c>; write <c>{{ "{{" }}</c>.
/// </remarks>
public sealed class ExpressionEngine
{
    private const int MaxCached = 4096;

    // Jint's first evaluation in a process pays for JIT compilation (tens of ms, seconds for the first engine):
    // pay it once, outside any run, so that the time limit only ever sees warm evaluations.
    private static readonly Lazy<bool> WarmedUp = new(WarmUp);

    private readonly ConcurrentDictionary<string, ParsedTemplate> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CompiledExpression> _conditions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Prepared<Script>> _scripts = new(StringComparer.Ordinal);

    private readonly ExpressionLimits _limits;

    /// <summary>Creates an engine with <see cref="ExpressionLimits.Default"/>.</summary>
    public ExpressionEngine()
        : this(ExpressionLimits.Default)
    {
    }

    /// <summary>Creates an engine with the given bounds.</summary>
    public ExpressionEngine(ExpressionLimits limits)
        : this(limits, warm: true)
    {
    }

    private ExpressionEngine(ExpressionLimits limits, bool warm)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        if (warm)
        {
            EnsureWarm();
        }
    }

    /// <summary>Makes sure the sandbox has been warmed up in this process; the first call takes a moment.</summary>
    public static void EnsureWarm() => _ = WarmedUp.Value;

    /// <summary>True when <paramref name="value"/> contains a template segment and is only known at run time.</summary>
    public static bool ContainsTemplate(string value) => value.Contains("{{", StringComparison.Ordinal);

    /// <summary>Checks a template string and lists the steps and secrets it reads.</summary>
    public static ExpressionParseResult ParseTemplate(string template, ExpressionRoots roots = ExpressionRoots.Standard)
    {
        var errors = new List<string>();
        var parsed = ParsedTemplate.Parse(template, roots, errors);
        return Result(errors, parsed?.Expressions.ToList() ?? []);
    }

    /// <summary>Checks a condition (a bare expression, or one wrapped whole in <c>{{ }}</c>).</summary>
    public static ExpressionParseResult ParseCondition(string condition, ExpressionRoots roots = ExpressionRoots.NoSecrets)
    {
        var compiled = ExpressionCompiler.Compile(UnwrapCondition(condition), roots, out var errors);
        return Result(errors, compiled is null ? [] : [compiled]);
    }

    /// <summary>Renders every string in <paramref name="with"/> against <paramref name="scope"/> and returns a new node.</summary>
    /// <param name="with">The node to render (a step's <c>with</c>, an artifact value); it is not changed.</param>
    /// <param name="scope"><c>{input, steps: {ID: {output}}, run, output?}</c>.</param>
    /// <param name="secrets">Looks up <c>secrets.NAME</c>; when null, <c>scope.secrets</c> is read instead.</param>
    /// <exception cref="ExpressionEvaluationException">A template is invalid or its evaluation failed.</exception>
    public JsonNode? RenderTemplate(JsonNode? with, JsonObject scope, Func<string, string?>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var templates = new List<ParsedTemplate>();
        Collect(with, templates);
        if (templates.Count == 0)
        {
            return with?.DeepClone();
        }

        var engine = SandboxEngine.Create(_limits);
        var sample = templates.SelectMany(t => t.Expressions).ToList();
        SandboxEngine.Bind(engine, sample, scope, secrets, sample[0].Text);
        return Render(engine, scope, with);
    }

    /// <summary>Evaluates a condition with JavaScript truthiness.</summary>
    /// <exception cref="ExpressionEvaluationException">The condition is invalid or its evaluation failed.</exception>
    public bool EvaluateCondition(string condition, JsonObject scope, Func<string, string?>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(scope);
        var compiled = Cached(_conditions, condition, () =>
            ExpressionCompiler.Compile(UnwrapCondition(condition), ExpressionRoots.All, out var errors)
            ?? throw new ExpressionEvaluationException(condition, string.Join("; ", errors)));
        var engine = SandboxEngine.Create(_limits);
        SandboxEngine.Bind(engine, [compiled], scope, secrets, condition);
        return TypeConverter.ToBoolean(Evaluate(engine, compiled));
    }

    private static bool WarmUp()
    {
        var engine = new ExpressionEngine(ExpressionLimits.Default with { Timeout = TimeSpan.FromMinutes(1) }, warm: false);
        var scope = new JsonObject
        {
            ["input"] = new JsonObject { ["n"] = 2, ["s"] = "x", ["list"] = new JsonArray(1, 2) },
            ["steps"] = new JsonObject { ["a"] = new JsonObject { ["output"] = new JsonObject { ["ok"] = true } } },
            ["run"] = new JsonObject { ["id"] = "run_warm" },
        };
        engine.RenderTemplate(new JsonObject { ["t"] = "{{ input.list[1] + input.n * 2 - 1 }} {{ input.s }}", ["w"] = "{{ input }}" }, scope);
        return engine.EvaluateCondition("(steps.a.output.ok && !(input.n >= 3) || input.s == 'y') ? input.n % 2 < 1 : input.x ?? false", scope);
    }

    internal static string UnwrapCondition(string condition)
    {
        var trimmed = condition.Trim();
        return trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
            && trimmed.IndexOf("}}", 2, StringComparison.Ordinal) == trimmed.Length - 2
            ? trimmed[2..^2]
            : condition;
    }

    private static ExpressionParseResult Result(IReadOnlyList<string> errors, List<CompiledExpression> expressions) => new(
        errors,
        expressions.SelectMany(e => e.Steps).Distinct(StringComparer.Ordinal).ToList(),
        expressions.SelectMany(e => e.Secrets).Distinct(StringComparer.Ordinal).ToList());

    private void Collect(JsonNode? node, List<ParsedTemplate> templates)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, templates);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, templates);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text && ContainsTemplate(text):
                templates.Add(Template(text));
                break;
        }
    }

    private JsonNode? Render(Engine engine, JsonObject scope, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var renderedObject = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    renderedObject[key] = Render(engine, scope, child);
                }

                return renderedObject;
            case JsonArray array:
                var renderedArray = new JsonArray();
                foreach (var child in array)
                {
                    renderedArray.Add(Render(engine, scope, child));
                }

                return renderedArray;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text && ContainsTemplate(text):
                return RenderString(engine, scope, Template(text));
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? RenderString(Engine engine, JsonObject scope, ParsedTemplate template)
    {
        if (template.Whole is { } whole)
        {
            // A value passed through unchanged keeps its exact JSON (the sandbox would round numbers to doubles).
            if (ExactPath.TryResolve(whole.Text, scope, out var exact))
            {
                return exact?.DeepClone();
            }

            var json = SandboxEngine.ToJson(engine, Evaluate(engine, whole), whole.Text);
            CheckLength(json?.Length ?? 0, whole.Text);
            return json is null ? null : JsonNode.Parse(json);
        }

        var text = new System.Text.StringBuilder();
        foreach (var segment in template.Segments)
        {
            if (segment.Expression is null)
            {
                text.Append(segment.Text);
                continue;
            }

            if (ExactPath.TryResolve(segment.Expression.Text, scope, out var exact))
            {
                text.Append(ExactPath.AsText(exact));
                CheckLength(text.Length, segment.Expression.Text);
                continue;
            }

            var value = Evaluate(engine, segment.Expression);
            if (value.IsString())
            {
                text.Append(value.AsString());
            }
            else if (SandboxEngine.ToJson(engine, value, segment.Expression.Text) is { } json and not "null")
            {
                text.Append(json);
            }

            CheckLength(text.Length, segment.Expression.Text);
        }

        return JsonValue.Create(text.ToString());
    }

    // Repeating a large value (input.s + input.s + …) is the one way a short expression can produce a lot.
    private void CheckLength(int length, string expression)
    {
        if (length > _limits.MaxResultChars)
        {
            throw new ExpressionEvaluationException(expression, $"its result is longer than {_limits.MaxResultChars} characters");
        }
    }

    private ParsedTemplate Template(string text) => Cached(_templates, text, () =>
    {
        var errors = new List<string>();
        // Definitions were checked with the roots of where each template sits; rendering accepts any of them.
        return ParsedTemplate.Parse(text, ExpressionRoots.All | ExpressionRoots.Body, errors)
            ?? throw new ExpressionEvaluationException(text, string.Join("; ", errors));
    });

    private JsValue Evaluate(Engine engine, CompiledExpression expression)
    {
        var script = Cached(_scripts, expression.Source, () => Engine.PrepareScript(expression.Source, strict: true));
        return SandboxEngine.Guard(expression.Text, () => engine.Evaluate(script));
    }

    private static TValue Cached<TValue>(ConcurrentDictionary<string, TValue> cache, string key, Func<TValue> create)
    {
        if (cache.TryGetValue(key, out var value))
        {
            return value;
        }

        // A crude bound: definitions are few, so a full cache is rare and rebuilding it is cheap.
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(key, _ => create());
    }
}
