using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Cli.Api;

/// <summary>Turns an error answer (problem+json, or anything else) into one line a person can act on.</summary>
internal static class ProblemMessage
{
    /// <summary>"404 Not Found: There is no run 'x' in this tenant." plus every error's JSON pointer and message.</summary>
    public static string From(int status, string reason, string body)
    {
        var line = new StringBuilder().Append(status).Append(' ').Append(reason);
        JsonNode? problem = null;
        try
        {
            problem = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, say): the status line alone is the clearest thing to say.
        }

        if (problem is not JsonObject obj)
        {
            return line.ToString();
        }

        var detail = Text(obj["detail"]) ?? Text(obj["title"]);
        if (detail is not null)
        {
            line.Append(": ").Append(detail);
        }

        if (obj["errors"] is JsonArray errors)
        {
            foreach (var error in errors)
            {
                line.Append(error is JsonObject e && Text(e["pointer"]) is { } pointer
                    ? $"; {pointer}: {Text(e["message"])}"
                    : $"; {Text(error) ?? error?.ToJsonString()}");
            }
        }

        // One line, whatever the server put in its messages.
        return line.ToString().ReplaceLineEndings(" ");
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
