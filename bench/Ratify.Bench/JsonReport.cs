using System.Text.Json;

namespace Ratify.Bench;

/// <summary>Writes the medians of the figures marked for JSON as one flat object of numbers.</summary>
internal static class JsonReport
{
    public static async Task WriteAsync(string path, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var outcome in outcomes)
        {
            foreach (var figure in outcome.Scenario.Figures.Where(f => f.InJson))
            {
                // A figure that could not be measured is null rather than missing, so that readers see the gap.
                if (outcome.Median(figure.Key) is { } value)
                {
                    json.WriteNumber(figure.Key, Math.Round(value, 3));
                }
                else
                {
                    json.WriteNull(figure.Key);
                }
            }
        }

        json.WriteEndObject();
    }
}
