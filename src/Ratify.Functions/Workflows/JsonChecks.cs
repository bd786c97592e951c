using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>Small type checks on JSON nodes that produce readable messages.</summary>
internal static class JsonChecks
{
    public static bool IsString(JsonNode? node, out string value)
    {
        if (node is JsonValue json && json.GetValueKind() == JsonValueKind.String)
        {
            value = json.GetValue<string>();
            return true;
        }

        value = string.Empty;
        return false;
    }

    public static bool IsInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue json && json.GetValueKind() == JsonValueKind.Number && json.TryGetValue(out value);
    }

    public static bool IsNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue json && json.GetValueKind() == JsonValueKind.Number && json.TryGetValue(out value);
    }

    /// <summary>"a string", "an array" … for messages.</summary>
    public static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "a value",
    };

    /// <summary>Reports every property of <paramref name="obj"/> that is not in <paramref name="known"/>.</summary>
    public static void RejectUnknown(JsonObject obj, string pointer, IReadOnlyCollection<string> known, List<DefinitionError> errors)
    {
        foreach (var (name, _) in obj)
        {
            if (!known.Contains(name))
            {
                errors.Add(new DefinitionError(
                    JsonPointer.Append(pointer, name),
                    $"unknown property '{name}' (known: {string.Join(", ", known)})"));
            }
        }
    }
}
