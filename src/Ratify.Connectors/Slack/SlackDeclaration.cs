using Ratify.Connectors.Declarations;

namespace Ratify.Connectors.Slack;

/// <summary>The arguments, output and side-effect class of the <c>slack</c> connector.</summary>
internal static class SlackDeclaration
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly ValueShape Block = ValueShape.ObjectOf(
        "an object with a string 'type'", [new("type", ValueShape.String, "The Block Kit block type.", Required: true)], additional: ValueShape.Any);

    private static readonly ValueShape Button = ValueShape.ObjectOf("an object {text, url, style?}", [
        new("text", ValueShape.Either("a string, number or boolean", ValueShape.String, ValueShape.Number(), ValueShape.Boolean), "The button's label.", Required: true),
        new("url", ValueShape.HttpUrl, "The link the button opens.", Required: true),
        new("style", ValueShape.OneOf(["primary", "danger"]), "The button's colour.", Default: "Slack's plain style"),
    ], additional: ValueShape.Any);

    public static ConnectorDeclaration Value { get; } = new(
        "slack",
        "Posts a Slack message through an incoming webhook (webhookUrl) or chat.postMessage (token and channel). Slack's {\"ok\": false} is a failure (slack_error); rate limiting and Slack-side errors are retryable.",
        "irreversible: a posted message is not taken back.",
        ValueShape.ObjectOf("an object", [
            new("webhookUrl", ValueShape.HttpUrl, "An incoming-webhook URL; use {{secrets.NAME}}. Redacted from outputs and logs."),
            new("token", ValueShape.NonEmptyString, "A bot token for chat.postMessage; use {{secrets.NAME}}. Redacted from outputs and logs."),
            new("channel", ValueShape.NonEmptyString, "The channel to post to (with token)."),
            new("text", ValueShape.String, "The message text (the notification text when blocks are given)."),
            new("blocks", ValueShape.ArrayOf(Block, expected: "an array of Block Kit blocks"), "Block Kit blocks, sent as given."),
            new("buttons", ValueShape.ArrayOf(Button, expected: "an array of {text, url, style?}"), "Link buttons, appended as one actions block."),
            new("threadTs", ValueShape.String, "Replies in this thread (with token)."),
            new("apiBaseUrl", ValueShape.HttpUrl, "The Slack Web API base URL (with token).", Default: "the Ratify:Slack:ApiBaseUrl setting, https://slack.com/api"),
            new("timeout", ValueShape.Duration, "How long to wait for Slack's answer.", Default: $"{DefaultTimeout.TotalSeconds:0}s"),
        ]),
        [
            "Give either 'webhookUrl' or 'token' with 'channel'.",
            "'channel' and 'apiBaseUrl' only go with 'token' (an incoming webhook posts to its own channel).",
            "'text', 'blocks' or 'buttons' is required.",
        ],
        ValueShape.ObjectOf("an object", [
            new("ok", ValueShape.Boolean, "Always true on success.", Required: true),
            new("channel", ValueShape.String, "The channel id Slack posted to (chat.postMessage only)."),
            new("ts", ValueShape.String, "The message's timestamp id, for threads and updates (chat.postMessage only)."),
        ]),
        []);
}
