using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ratify.Durable;

/// <summary>Serialises inputs, outputs, event payloads and custom status as JSON text.</summary>
public static class DataConverter
{
    /// <summary>The options used for every payload: web defaults (camelCase, case-insensitive reads).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The JSON text of <paramref name="value"/>, or null for null.</summary>
    public static string? Serialize(object? value) =>
        value switch
        {
            null => null,
            JsonElement { ValueKind: JsonValueKind.Undefined } => null,
            _ => JsonSerializer.Serialize(value, value.GetType(), Options),
        };

    /// <summary>Reads <paramref name="json"/> as <typeparamref name="T"/>; null text gives default.</summary>
    [return: MaybeNull]
    public static T Deserialize<T>(string? json) =>
        json is null ? default : JsonSerializer.Deserialize<T>(json, Options);
}
