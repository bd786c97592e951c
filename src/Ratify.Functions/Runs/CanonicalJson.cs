using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Runs;

/// <summary>Hashes JSON so that the same value written with another property order or spacing gives the same hash.</summary>
public static class CanonicalJson
{
    /// <summary>The lowercase hex SHA-256 of <paramref name="node"/> with object properties sorted (ordinal) at every level.</summary>
    public static string Hash(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
