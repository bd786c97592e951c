using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Arguments;

/// <summary>Recognises argument values that are only known once the step runs.</summary>
internal static class Templates
{
    /// <summary>True when the value is a string containing a template, so its type is decided at run time.</summary>
    public static bool IsTemplate(JsonNode? node) =>
        node is JsonValue value
        && value.GetValueKind() == JsonValueKind.String
        && value.GetValue<string>().Contains("{{", StringComparison.Ordinal);
}
