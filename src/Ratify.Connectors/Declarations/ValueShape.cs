using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Declarations;

/// <summary>The values a connector argument (or a part of one) accepts: checks a literal value when a workflow is defined, and describes itself as JSON Schema and in words.</summary>
/// <remarks>A string holding a template (<c>{{ … }}</c>) is accepted at every level: its value is only known when the step runs.</remarks>
public sealed partial class ValueShape
{
    private enum Kind
    {
        Any,
        String,
        Number,
        Boolean,
        Null,
        Array,
        Object,
        Either,
    }

    private readonly Kind _kind;
    private Func<string, bool>? _accepts;
    private string? _pattern;
    private string? _format;
    private int _minLength;
    private IReadOnlyList<string>? _values;
    private double? _minimum;
    private double? _maximum;
    private bool _integer;
    private ValueShape? _items;
    private int _minItems;
    private IReadOnlyList<FieldDeclaration> _fields = [];
    private ValueShape? _additional;
    private IReadOnlyList<ValueShape> _options = [];

    private ValueShape(Kind kind, string expected)
    {
        _kind = kind;
        Expected = expected;
    }

    /// <summary>What a value must be, as the end of a sentence ("'port' must be …"), e.g. <c>an absolute http or https URL</c>.</summary>
    public string Expected { get; }

    /// <summary>The named properties, when this is an object with declared properties.</summary>
    public IReadOnlyList<FieldDeclaration> Fields => _fields;

    /// <summary>The shape of each item, when this is an array.</summary>
    public ValueShape? Items => _items;

    /// <summary>The alternatives, when a value may take one of several shapes.</summary>
    public IReadOnlyList<ValueShape> Options => _options;

    /// <summary>Any JSON value.</summary>
    public static ValueShape Any { get; } = new(Kind.Any, "any JSON value");

    /// <summary>Any string.</summary>
    public static ValueShape String { get; } = new(Kind.String, "a string");

    /// <summary>A string of at least one character.</summary>
    public static ValueShape NonEmptyString { get; } = new(Kind.String, "a non-empty string") { _minLength = 1 };

    /// <summary>true or false.</summary>
    public static ValueShape Boolean { get; } = new(Kind.Boolean, "true or false");

    /// <summary>A string, number, boolean or null (a header or query value).</summary>
    public static ValueShape Scalar { get; } = Either(
        "a string, number or boolean", String, Number(), Boolean, new ValueShape(Kind.Null, "null"));

    /// <summary>Any object.</summary>
    public static ValueShape AnyObject { get; } = new(Kind.Object, "an object") { _additional = Any };

    /// <summary>An absolute http or https URL.</summary>
    public static ValueShape HttpUrl { get; } =
        Text("an absolute http or https URL", ArgumentReader.IsHttpUrl, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://", format: "uri");

    /// <summary>A positive duration of at most a day: a number of seconds, or a string such as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static ValueShape Duration { get; } = Either(
        "a positive number of seconds or a duration such as \"500ms\", \"30s\" or \"2m\" (at most a day)",
        Number(0.001, 86400),
        Text("a duration", text => Durations.TryParse(text, out _), pattern: "^\\s*[0-9.:]+\\s*([Mm][Ss]|[SsMmHh])?\\s*$"));

    /// <summary>A string that <paramref name="accepts"/> approves; <paramref name="pattern"/> and <paramref name="format"/> approximate it in JSON Schema.</summary>
    public static ValueShape Text(string expected, Func<string, bool> accepts, string? pattern = null, string? format = null) =>
        new(Kind.String, expected) { _accepts = accepts, _pattern = pattern, _format = format };

    /// <summary>One of a fixed set of strings (compared ignoring case when asked).</summary>
    public static ValueShape OneOf(IReadOnlyList<string> values, bool ignoreCase = false)
    {
        var comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        return new ValueShape(Kind.String, "one of: " + string.Join(", ", values))
        {
            _values = values,
            _accepts = text => values.Contains(text, comparer),
            _pattern = ignoreCase ? "^(" + string.Join("|", values.Select(AnyCase)) + ")$" : null,
        };
    }

    /// <summary>A number from <paramref name="minimum"/> to <paramref name="maximum"/>; a whole number when <paramref name="integer"/>.</summary>
    public static ValueShape Number(double? minimum = null, double? maximum = null, bool integer = false)
    {
        var noun = integer ? "a whole number" : "a number";
        var expected = (minimum, maximum) switch
        {
            ({ } min, { } max) => $"{noun} from {Format(min)} to {Format(max)}",
            ({ } min, null) => $"{noun} of at least {Format(min)}",
            (null, { } max) => $"{noun} of at most {Format(max)}",
            _ => noun,
        };
        return new ValueShape(Kind.Number, expected) { _minimum = minimum, _maximum = maximum, _integer = integer };
    }

    /// <summary>An array whose items have shape <paramref name="items"/>.</summary>
    public static ValueShape ArrayOf(ValueShape items, int minItems = 0, string? expected = null) =>
        new(Kind.Array, expected ?? "an array") { _items = items, _minItems = minItems };

    /// <summary>An object with the declared properties; others are refused unless <paramref name="additional"/> gives their shape.</summary>
    public static ValueShape ObjectOf(string expected, IReadOnlyList<FieldDeclaration> fields, ValueShape? additional = null) =>
        new(Kind.Object, expected) { _fields = fields, _additional = additional };

    /// <summary>An object whose every property has shape <paramref name="values"/> (headers, query).</summary>
    public static ValueShape MapOf(ValueShape values, string expected) => new(Kind.Object, expected) { _additional = values };

    /// <summary>A value that matches at least one of <paramref name="options"/>.</summary>
    public static ValueShape Either(string expected, params ValueShape[] options) => new(Kind.Either, expected) { _options = options };

    /// <summary>Checks a literal value at <paramref name="pointer"/>; <paramref name="label"/> names it in messages (<c>attachments/0/step</c>).</summary>
    internal void Check(JsonNode? node, string pointer, string label, List<ArgumentError> errors)
    {
        if (Templates.IsTemplate(node))
        {
            return;
        }

        switch (_kind)
        {
            case Kind.Any:
                return;
            case Kind.Object when node is JsonObject obj:
                CheckObject(obj, pointer, label, errors);
                return;
            case Kind.Array when node is JsonArray array:
                if (array.Count < _minItems)
                {
                    errors.Add(new ArgumentError(pointer, $"'{label}' needs at least {_minItems} item{(_minItems == 1 ? "" : "s")}"));
                }

                for (var i = 0; i < array.Count; i++)
                {
                    _items!.Check(array[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), $"{label}/{i}", errors);
                }

                return;
            case Kind.Either:
                if (!_options.Any(option => option.Accepts(node)))
                {
                    errors.Add(new ArgumentError(pointer, $"'{label}' must be {Expected}"));
                }

                return;
            default:
                if (!Accepts(node))
                {
                    errors.Add(new ArgumentError(pointer, $"'{label}' must be {Expected}"));
                }

                return;
        }
    }

    private bool Accepts(JsonNode? node)
    {
        if (Templates.IsTemplate(node))
        {
            return true;
        }

        var kind = node?.GetValueKind() ?? JsonValueKind.Null;
        switch (_kind)
        {
            case Kind.Any:
                return true;
            case Kind.Null:
                return kind == JsonValueKind.Null;
            case Kind.String:
                return kind == JsonValueKind.String && node!.GetValue<string>() is var text
                    && text.Length >= _minLength && (_accepts is null || _accepts(text));
            case Kind.Boolean:
                return kind is JsonValueKind.True or JsonValueKind.False;
            case Kind.Number:
                if (kind != JsonValueKind.Number || !double.IsFinite(node!.GetValue<double>()))
                {
                    return false;
                }

                var value = node.GetValue<double>();
                return (!_integer || Math.Floor(value) == value) && (_minimum is not { } min || value >= min) && (_maximum is not { } max || value <= max);
            case Kind.Either:
                return _options.Any(option => option.Accepts(node));
            case Kind.Array when node is JsonArray:
            case Kind.Object when node is JsonObject:
                var errors = new List<ArgumentError>();
                Check(node, "", "", errors);
                return errors.Count == 0;
            default:
                return false;
        }
    }

    private void CheckObject(JsonObject obj, string pointer, string label, List<ArgumentError> errors)
    {
        if (_additional is null)
        {
            foreach (var (name, _) in obj)
            {
                if (!_fields.Any(f => f.Name == name))
                {
                    var where = label.Length == 0 ? "argument" : $"property in '{label}':";
                    errors.Add(new ArgumentError(pointer + ArgumentReader.Pointer(name),
                        $"unknown {where} '{name}'; expected one of: {string.Join(", ", _fields.Select(f => f.Name))}"));
                }
            }
        }

        foreach (var field in _fields)
        {
            var at = pointer + ArgumentReader.Pointer(field.Name);
            var name = label.Length == 0 ? field.Name : $"{label}/{field.Name}";
            if (obj[field.Name] is null)
            {
                if (field.Required)
                {
                    errors.Add(new ArgumentError(at, $"'{name}' is required"));
                }

                continue;
            }

            field.Shape.Check(obj[field.Name], at, name, errors);
        }

        foreach (var (key, value) in obj)
        {
            if (_additional is not null && !_fields.Any(f => f.Name == key))
            {
                _additional.Check(value, pointer + ArgumentReader.Pointer(key), label.Length == 0 ? key : $"{label}/{key}", errors);
            }
        }
    }

    private static string AnyCase(string word) =>
        string.Concat(word.Select(c => char.IsLetter(c) ? $"[{char.ToUpperInvariant(c)}{char.ToLowerInvariant(c)}]" : c.ToString()));

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
