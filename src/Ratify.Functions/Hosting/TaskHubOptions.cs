namespace Ratify.Functions.Hosting;

/// <summary>The task hub this host belongs to, bound from <c>extensions:durableTask</c> (host.json).</summary>
public sealed class TaskHubOptions
{
    /// <summary>The configuration section (host.json's <c>extensions.durableTask</c>).</summary>
    public const string SectionName = "extensions:durableTask";

    /// <summary>
    /// The task hub name (<c>extensions:durableTask:hubName</c>): the prefix of every table, queue and container, so that
    /// hubs sharing a storage account never see each other's data. Default: <c>Ratify</c>.
    /// </summary>
    public string HubName { get; set; } = "Ratify";

    /// <summary>Whether <paramref name="hubName"/> is 3 to 45 letters and digits starting with a letter (as Durable Functions requires).</summary>
    public static bool IsValidHubName(string? hubName) =>
        hubName is { Length: >= 3 and <= 45 }
        && char.IsAsciiLetter(hubName[0])
        && hubName.All(char.IsAsciiLetterOrDigit);
}
