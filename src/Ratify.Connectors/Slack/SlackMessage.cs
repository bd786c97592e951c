using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Slack;

/// <summary>Builds and checks the message part of a Slack call: text, Block Kit blocks and link buttons.</summary>
internal static class SlackMessage
{
    /// <summary>The <c>text</c>/<c>blocks</c> payload; <c>buttons</c> become one trailing actions block of link buttons.</summary>
    public static JsonObject Build(JsonObject arguments)
    {
        var message = new JsonObject();
        if (ArgumentReader.OptionalString(arguments, "text") is { } text)
        {
            message["text"] = text;
        }

        var blocks = arguments["blocks"] switch
        {
            null => null,
            JsonArray array => (JsonArray)array.DeepClone(),
            _ => throw ArgumentReader.Wrong("blocks", "an array of Block Kit blocks"),
        };
        if (arguments["buttons"] is { } buttons)
        {
            blocks ??= [];
            blocks.Add(Actions(buttons));
        }

        if (blocks is not null)
        {
            message["blocks"] = blocks;
        }

        return message.Count > 0 ? message : throw new ConnectorArgumentException("/text", "'text', 'blocks' or 'buttons' is required");
    }

    private static JsonObject Actions(JsonNode buttons)
    {
        if (buttons is not JsonArray list)
        {
            throw ArgumentReader.Wrong("buttons", "an array of {text, url, style?}");
        }

        var elements = new JsonArray();
        for (var i = 0; i < list.Count; i++)
        {
            var button = list[i] as JsonObject ?? throw ArgumentReader.Wrong($"buttons/{i}", "an object {text, url, style?}");
            try
            {
                elements.Add(Button(button, i));
            }
            catch (ConnectorArgumentException e) when (!e.Pointer.StartsWith("/buttons/", StringComparison.Ordinal))
            {
                // Said where it is: inside this button, not at the top of the arguments.
                throw new ConnectorArgumentException($"/buttons/{i}{e.Pointer}", $"button {i}: {e.Message}");
            }
        }

        return new JsonObject { ["type"] = "actions", ["elements"] = elements };
    }

    private static JsonObject Button(JsonObject button, int index)
    {
        var element = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = $"ratify_link_{index}",
            ["text"] = new JsonObject
            {
                ["type"] = "plain_text",
                ["text"] = ArgumentReader.Scalar(button["text"], $"buttons/{index}/text"),
                ["emoji"] = true,
            },
            ["url"] = ArgumentReader.RequiredString(button, "url"),
        };
        if (ArgumentReader.OptionalString(button, "style") is { } style)
        {
            element["style"] = style;
        }

        return element;
    }
}
