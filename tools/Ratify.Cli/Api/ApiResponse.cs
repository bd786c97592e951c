using System.Text.Json.Nodes;

namespace Ratify.Cli.Api;

/// <summary>A successful answer: its status, its body exactly as sent (for <c>--json</c>), and that body parsed.</summary>
internal sealed record ApiResponse(int Status, string Text)
{
    /// <summary>The body as JSON; an empty object for an empty body.</summary>
    public JsonNode Json { get; } = Text.Length == 0 ? new JsonObject() : JsonNode.Parse(Text) ?? new JsonObject();
}
