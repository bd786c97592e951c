using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ratify.Functions.Workflows;

/// <summary>
/// Reads an expression that is only a path (<c>input.deal.amount</c>, <c>steps.fetch.output.items[0]</c>,
/// <c>output['text']</c>) straight from the scope's JSON, so that a value passed through a template unchanged keeps its
/// exact JSON text: the sandbox holds numbers as doubles, which would round 9007199254740993 and turn 1e400 into null.
/// </summary>
/// <remarks>Anything else (operators, calls, a path that runs into a missing member) is left to the sandbox.</remarks>
internal static partial class ExactPath
{
    /// <summary>How embedded non-string values are written: as JavaScript would, without escaping non-ASCII text.</summary>
    private static readonly JsonSerializerOptions TextOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value at <paramref name="expression"/> when it is a plain path that exists in <paramref name="scope"/>.</summary>
    public static bool TryResolve(string expression, JsonObject scope, out JsonNode? value)
    {
        value = null;
        var match = Path().Match(expression);
        if (!match.Success || !scope.TryGetPropertyValue(match.Groups["root"].Value, out var current))
        {
            return false;
        }

        foreach (Capture segment in match.Groups["segment"].Captures)
        {
            var text = segment.Value.Trim();
            var name = text[0] == '.' ? text[1..].Trim() : text[1..^1].Trim();
            switch (current)
            {
                case JsonArray array when name.All(char.IsAsciiDigit) && int.TryParse(name, out var index) && index < array.Count:
                    current = array[index];
                    break;
                case JsonObject obj when !name.All(char.IsAsciiDigit) || text[0] != '[':
                    var key = name[0] is '"' or '\'' ? name[1..^1] : name;
                    if (!obj.TryGetPropertyValue(key, out current))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>How a resolved value reads inside a longer string: text as is, null as nothing, the rest as its JSON.</summary>
    public static string AsText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        _ => value.ToJsonString(TextOptions),
    };

    // Roots with scope data (not secrets, which are looked up by name); members by name, index or quoted name without escapes.
    [GeneratedRegex("""^\s*(?<root>input|steps|run|output)(?<segment>\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*|\s*\[\s*(?:\d+|"[^"\\]*"|'[^'\\]*')\s*\])*\s*$""")]
    private static partial Regex Path();
}
