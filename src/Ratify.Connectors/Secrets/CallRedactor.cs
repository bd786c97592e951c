using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Connectors.Json;

namespace Ratify.Connectors.Secrets;

/// <summary>Removes configured secrets and the call's own sensitive argument values from everything a connector returns.</summary>
internal sealed class CallRedactor
{
    private static readonly HashSet<string> TextualTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "json", "text", "markdown", "html", "email", "application/json", "application/xml", "message/rfc822",
    };

    private readonly ISecretStore _store;
    private readonly string?[] _values;

    public CallRedactor(ISecretStore store, IEnumerable<string?> sensitiveValues)
    {
        _store = store;
        _values = [.. sensitiveValues];
    }

    public string Text(string text) => _store.Redact(ConfigurationSecretStore.RedactValues(text, _values));

    /// <summary>A copy of the node with every string (and property name) redacted.</summary>
    public JsonNode? Json(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(Text(p.Key), Json(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Json)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Text(value.GetValue<string>())),
        _ => node.DeepClone(),
    };

    public ConnectorResult Apply(ConnectorResult result)
    {
        if (result.Failure is { } failure)
        {
            return ConnectorResult.Failed(failure with { Message = Text(failure.Message), Details = Json(failure.Details) });
        }

        return ConnectorResult.Success(Json(result.Output), [.. result.Artifacts.Select(Artifact)]);
    }

    private ConnectorArtifact Artifact(ConnectorArtifact artifact)
    {
        if (artifact.Type.Equals("json", StringComparison.OrdinalIgnoreCase) && TryParse(artifact.Content, out var node))
        {
            // Redact the parsed document: a secret may appear escaped in JSON text.
            return artifact with { Content = JsonBytes.Of(Json(node)) };
        }

        if (TextualTypes.Contains(artifact.Type) || artifact.Type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return artifact with { Content = Encoding.UTF8.GetBytes(Text(Encoding.UTF8.GetString(artifact.Content.Span))) };
        }

        return artifact;
    }

    private static bool TryParse(ReadOnlyMemory<byte> content, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(content.Span);
            return true;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }
}
