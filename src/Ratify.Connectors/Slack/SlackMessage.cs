using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Slack;

/// <summary>Builds and checks the message part of a Slack call: text, Block Kit blocks and link buttons.</summary>
internal static class SlackMessage
{
    private static readonly string[] ButtonStyles = ["primary", "danger"];

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

    public static void Check(ArgumentChecker check)
    {
        if (!check.Has("text") && !check.Has("blocks") && !check.Has("buttons"))
        {
            check.Add("text", "'text', 'blocks' or 'buttons' is required");
        }

        check.String("text");
        check.Array("blocks");
        if (check.Arguments["blocks"] is JsonArray blocks)
        {
            for (var i = 0; i < blocks.Count; i++)
            {
                if (!Templates.IsTemplate(blocks[i]) && (blocks[i] is not JsonObject block || block["type"]?.GetValueKind() != JsonValueKind.String))
                {
                    check.AddAt($"/blocks/{i}", "a block must be an object with a string 'type'");
                }
            }
        }

        check.Array("buttons");
        if (check.Arguments["buttons"] is JsonArray buttons)
        {
            for (var i = 0; i < buttons.Count; i++)
            {
                CheckButton(check, buttons[i], $"/buttons/{i}");
            }
        }
    }

    private static void CheckButton(ArgumentChecker check, JsonNode? node, string pointer)
    {
        if (Templates.IsTemplate(node))
        {
            return;
        }

        if (node is not JsonObject button)
        {
            check.AddAt(pointer, "a button must be an object {text, url, style?}");
            return;
        }

        if (button["text"] is null)
        {
            check.AddAt(pointer + "/text", "a button needs 'text'");
        }

        if (button["url"] is not JsonValue url
            || (!Templates.IsTemplate(url) && (url.GetValueKind() != JsonValueKind.String || !ArgumentChecker.IsHttpUrl(url.GetValue<string>()))))
        {
            check.AddAt(pointer + "/url", "a button needs an absolute http or https 'url'");
        }

        if (button["style"] is JsonValue style && !Templates.IsTemplate(style)
            && (style.GetValueKind() != JsonValueKind.String || !ButtonStyles.Contains(style.GetValue<string>())))
        {
            check.AddAt(pointer + "/style", "a button's 'style' must be primary or danger");
        }
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
            var element = new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = $"ratify_link_{i}",
                ["text"] = new JsonObject
                {
                    ["type"] = "plain_text",
                    ["text"] = ArgumentReader.Scalar(button["text"], $"buttons/{i}/text"),
                    ["emoji"] = true,
                },
                ["url"] = ArgumentReader.RequiredString(button, "url"),
            };
            if (ArgumentReader.OptionalString(button, "style") is { } style)
            {
                element["style"] = style;
            }

            elements.Add(element);
        }

        return new JsonObject { ["type"] = "actions", ["elements"] = elements };
    }
}
