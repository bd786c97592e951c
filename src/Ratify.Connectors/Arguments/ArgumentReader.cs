using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Arguments;

/// <summary>Reads rendered arguments at run time; a value of the wrong type throws <see cref="ConnectorArgumentException"/>.</summary>
internal static class ArgumentReader
{
    public static string RequiredString(JsonObject arguments, string name) =>
        OptionalString(arguments, name) is { Length: > 0 } text
            ? text
            : throw new ConnectorArgumentException(ArgumentReader.Pointer(name), $"'{name}' is required");

    public static string? OptionalString(JsonObject arguments, string name) => arguments[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Wrong(name, "a string"),
    };

    public static double? OptionalNumber(JsonObject arguments, string name) => arguments[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>(),
        // A template renders to text; accept a number written as one.
        JsonValue value when value.GetValueKind() == JsonValueKind.String
            && double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Wrong(name, "a number"),
    };

    public static JsonObject? OptionalObject(JsonObject arguments, string name) => arguments[name] switch
    {
        null => null,
        JsonObject value => value,
        _ => throw Wrong(name, "an object"),
    };

    public static TimeSpan Duration(JsonObject arguments, string name, TimeSpan fallback)
    {
        var node = arguments[name];
        if (node is null)
        {
            return fallback;
        }

        return Durations.TryParse(node, out var duration) ? duration : throw Wrong(name, "a duration such as \"30s\"");
    }

    public static Uri HttpUrl(JsonObject arguments, string name)
    {
        var text = RequiredString(arguments, name);
        return ArgumentReader.IsHttpUrl(text)
            ? new Uri(text)
            : throw Wrong(name, "an absolute http or https URL");
    }

    /// <summary>A scalar as text (headers, query values); null stays null.</summary>
    public static string? Scalar(JsonNode? node, string pointerName) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False =>
            value.ToJsonString(),
        _ => throw Wrong(pointerName, "a string, number or boolean"),
    };

    /// <summary>A wrong value at <paramref name="name"/>, an argument name or a path inside one (<c>attachments/0</c>).</summary>
    public static ConnectorArgumentException Wrong(string name, string expected) =>
        new(string.Concat(name.Split('/').Select(ArgumentReader.Pointer)), $"'{name}' must be {expected}");

    /// <summary>The values of the named arguments as text, whatever their type, for redaction.</summary>
    public static IEnumerable<string?> Texts(JsonObject arguments, params string[] names) =>
        names.Select(name => arguments[name] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            var other => other.ToJsonString(),
        });

    /// <summary>The JSON pointer of one argument name (<c>~</c> and <c>/</c> escaped).</summary>
    public static string Pointer(string name) => "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static bool IsHttpUrl(string text) =>
        System.Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == System.Uri.UriSchemeHttp || uri.Scheme == System.Uri.UriSchemeHttps);
}
