using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Arguments;

/// <summary>Reads the <c>sideEffect</c> override a step may declare.</summary>
internal static class SideEffects
{
    public static readonly string[] Names = ["read", "idempotent", "irreversible"];

    public static bool TryParse(JsonNode? node, out SideEffect sideEffect)
    {
        sideEffect = SideEffect.Irreversible;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        return value.GetValue<string>().ToLowerInvariant() switch
        {
            "read" => Set(SideEffect.Read, out sideEffect),
            "idempotent" => Set(SideEffect.Idempotent, out sideEffect),
            "irreversible" => Set(SideEffect.Irreversible, out sideEffect),
            _ => false,
        };
    }

    private static bool Set(SideEffect value, out SideEffect sideEffect)
    {
        sideEffect = value;
        return true;
    }
}
