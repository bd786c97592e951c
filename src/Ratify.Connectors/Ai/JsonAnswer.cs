using System.Text.Json.Nodes;
using NJsonSchema;
using Ratify.Connectors.Http;

namespace Ratify.Connectors.Ai;

/// <summary>Reads a model's answer as JSON and checks it against the step's <c>responseSchema</c>.</summary>
internal static class JsonAnswer
{
    /// <summary>The parsed answer, or the reasons it is not acceptable.</summary>
    public static async Task<(JsonNode? Value, IReadOnlyList<string> Errors)> ParseAsync(
        string content, JsonObject schema, CancellationToken cancellationToken)
    {
        var text = StripFence(content);
        if (!ResponseBody.TryParseJson(System.Text.Encoding.UTF8.GetBytes(text), out var value))
        {
            return (null, ["the answer is not valid JSON"]);
        }

        var validator = await JsonSchema.FromJsonAsync(schema.ToJsonString(), cancellationToken).ConfigureAwait(false);
        var errors = validator.Validate(text)
            .Select(e => $"{e.Kind} at {(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}")
            .ToList();
        return (value, errors);
    }

    // Models often wrap JSON in a Markdown code fence even when asked not to.
    private static string StripFence(string content)
    {
        var text = content.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        var body = firstLine < 0 ? "" : text[(firstLine + 1)..];
        return body.EndsWith("```", StringComparison.Ordinal) ? body[..^3].Trim() : body.Trim();
    }
}
