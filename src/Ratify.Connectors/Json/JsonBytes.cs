using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Ratify.Connectors.Json;

/// <summary>Serialises JSON for artifacts and request bodies the same way everywhere.</summary>
internal static class JsonBytes
{
    // Keeps non-Latin text readable in artifacts while still escaping HTML-significant characters.
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Of(JsonNode? node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static string Text(JsonNode? node) => node?.ToJsonString(Options) ?? "null";
}
