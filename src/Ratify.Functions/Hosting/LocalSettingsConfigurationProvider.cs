using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Ratify.Functions.Hosting;

/// <summary>Loads the <c>Values</c> object of <c>local.settings.json</c>, the way the Functions tools turn them into environment variables.</summary>
public sealed class LocalSettingsConfigurationProvider(LocalSettingsConfigurationSource source) : FileConfigurationProvider(source)
{
    /// <inheritdoc />
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("Values", out var values)
            && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var value in values.EnumerateObject())
            {
                // Values are environment variables in Functions, so they use the environment's "__" for ":".
                var key = value.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                data[key] = value.Value.ValueKind switch
                {
                    JsonValueKind.String => value.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => value.Value.GetRawText(),
                };
            }
        }

        Data = data;
    }
}
