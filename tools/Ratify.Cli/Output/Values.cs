using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Cli.Output;

/// <summary>Reads fields of the server's JSON for tables and messages.</summary>
internal static class Values
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A string, number or boolean field as text; null when absent.</summary>
    public static string? Text(JsonNode? node, string name) => Text(node?[name]);

    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        null => null,
        _ => node.ToJsonString(),
    };

    /// <summary>A timestamp field shown in UTC to the second.</summary>
    public static string? Time(JsonNode? node, string name) =>
        Text(node, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : null;

    /// <summary>The <c>{code, message}</c> error field as "code: message".</summary>
    public static string? Error(JsonNode? node) =>
        node?["error"] is JsonObject error ? $"{Text(error, "code")}: {Text(error, "message")}" : null;

    /// <summary>The node as indented JSON.</summary>
    public static string Pretty(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";

    /// <summary>The items of an array field (none when absent).</summary>
    public static IEnumerable<JsonNode> Items(JsonNode? node, string name) =>
        node?[name] is JsonArray array ? array.OfType<JsonNode>() : [];
}
