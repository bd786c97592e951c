using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Arguments;

/// <summary>Collects every problem in a <c>with</c> object at definition time, so all are reported together.</summary>
/// <remarks>A templated string is accepted wherever a value may go: its real value is only known at run time.</remarks>
internal sealed class ArgumentChecker
{
    private readonly JsonObject _arguments;
    private readonly List<ArgumentError> _errors = [];

    public ArgumentChecker(JsonObject arguments, params string[] known)
    {
        _arguments = arguments;
        foreach (var (name, _) in arguments)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Add(name, $"unknown argument '{name}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    public IReadOnlyList<ArgumentError> Errors => _errors;

    public JsonObject Arguments => _arguments;

    public static string Pointer(string name) => "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public void Add(string name, string message) => _errors.Add(new ArgumentError(Pointer(name), message));

    public void AddAt(string pointer, string message) => _errors.Add(new ArgumentError(pointer, message));

    public bool Has(string name) => _arguments[name] is not null;

    public void Required(string name)
    {
        if (!Has(name))
        {
            Add(name, $"'{name}' is required");
        }
    }

    /// <summary>Checks that a present value is a string (or a template).</summary>
    public void String(string name)
    {
        if (_arguments[name] is { } node && Kind(node) != JsonValueKind.String)
        {
            Add(name, $"'{name}' must be a string");
        }
    }

    public void Number(string name, double minimum = double.MinValue, double maximum = double.MaxValue)
    {
        var node = _arguments[name];
        if (node is null || Templates.IsTemplate(node))
        {
            return;
        }

        if (Kind(node) != JsonValueKind.Number)
        {
            Add(name, $"'{name}' must be a number");
        }
        else if (node.GetValue<double>() is var value && (value < minimum || value > maximum))
        {
            Add(name, $"'{name}' must be between {minimum} and {maximum}");
        }
    }

    public void Object(string name) => Shape(name, JsonValueKind.Object, "an object");

    public void Array(string name) => Shape(name, JsonValueKind.Array, "an array");

    /// <summary>Checks a string against a fixed set of values (ignoring case when asked).</summary>
    public void OneOf(string name, IReadOnlyCollection<string> values, bool ignoreCase = false)
    {
        var node = _arguments[name];
        if (node is null || Templates.IsTemplate(node))
        {
            return;
        }

        var comparer = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        if (Kind(node) != JsonValueKind.String || !values.Contains(node.GetValue<string>(), comparer))
        {
            Add(name, $"'{name}' must be one of: {string.Join(", ", values)}");
        }
    }

    /// <summary>Checks that a literal value is an absolute http or https URL.</summary>
    public void Url(string name)
    {
        var node = _arguments[name];
        if (node is null || Templates.IsTemplate(node))
        {
            return;
        }

        if (Kind(node) != JsonValueKind.String || !IsHttpUrl(node.GetValue<string>()))
        {
            Add(name, $"'{name}' must be an absolute http or https URL");
        }
    }

    public void Duration(string name)
    {
        var node = _arguments[name];
        if (node is not null && !Templates.IsTemplate(node) && !Durations.TryParse(node, out _))
        {
            Add(name, $"'{name}' must be a positive number of seconds or a duration such as \"500ms\", \"30s\" or \"2m\"");
        }
    }

    /// <summary>Checks that every property of an object is a scalar (headers, query).</summary>
    public void ScalarMap(string name)
    {
        if (_arguments[name] is not JsonObject map)
        {
            Object(name);
            return;
        }

        foreach (var (key, value) in map)
        {
            if (value is JsonObject || (value is JsonArray && name != "query"))
            {
                AddAt(Pointer(name) + Pointer(key), $"'{name}.{key}' must be a string, number or boolean");
            }
        }
    }

    public static bool IsHttpUrl(string text) =>
        System.Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == System.Uri.UriSchemeHttp || uri.Scheme == System.Uri.UriSchemeHttps);

    private void Shape(string name, JsonValueKind kind, string description)
    {
        var node = _arguments[name];
        if (node is not null && !Templates.IsTemplate(node) && Kind(node) != kind)
        {
            Add(name, $"'{name}' must be {description}");
        }
    }

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind();
}
