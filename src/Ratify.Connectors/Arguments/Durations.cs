using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Arguments;

/// <summary>Reads a duration argument: a number of seconds, or a string such as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    public static bool TryParse(JsonNode? node, out TimeSpan duration)
    {
        duration = default;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return Positive(TimeSpan.FromSeconds(value.GetValue<double>()), out duration);
        }

        return value.GetValueKind() == JsonValueKind.String && TryParse(value.GetValue<string>(), out duration);
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return Positive(TimeSpan.FromSeconds(amount * seconds), out duration);
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return Positive(TimeSpan.FromSeconds(plain), out duration);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && Positive(span, out duration);
    }

    private static bool Positive(TimeSpan candidate, out TimeSpan duration)
    {
        duration = candidate;
        return candidate > TimeSpan.Zero && candidate <= TimeSpan.FromDays(1);
    }
}
