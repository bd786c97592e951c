namespace Ratify.Connectors.Slack;

/// <summary>Settings of the Slack connector (configuration section <c>Ratify:Slack</c>).</summary>
public sealed class SlackOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ratify:Slack";

    /// <summary>Where Web API methods such as <c>chat.postMessage</c> live; a step's <c>apiBaseUrl</c> overrides it. Default: Slack's public API.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api";
}
