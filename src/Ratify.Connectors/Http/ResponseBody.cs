using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Http;

/// <summary>Turns a response body into a step output value.</summary>
internal static class ResponseBody
{
    public static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static JsonNode? ToNode(byte[] body, string? mediaType, string? charset)
    {
        if (body.Length == 0)
        {
            return null;
        }

        if (IsJson(mediaType) && TryParseJson(body, out var json))
        {
            return json;
        }

        // Binary bodies cannot live in a JSON output as text; they travel as base64.
        return IsText(mediaType)
            ? JsonValue.Create(ToText(body, charset))
            : new JsonObject { ["base64"] = Convert.ToBase64String(body), ["mediaType"] = mediaType };
    }

    public static string ToText(byte[] body, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (charset is not null)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset label: UTF-8 is the best guess.
            }
        }

        return encoding.GetString(body);
    }

    public static bool TryParseJson(ReadOnlySpan<byte> body, out JsonNode? json)
    {
        try
        {
            json = JsonNode.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            json = null;
            return false;
        }
    }

    public static string Truncate(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "… (truncated)");

    private static bool IsText(string? mediaType) =>
        mediaType is null
        || mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || IsJson(mediaType)
        || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
        || mediaType is "application/xml" or "application/javascript" or "application/x-www-form-urlencoded"
            or "application/problem+json" or "application/x-ndjson";
}
