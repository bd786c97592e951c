using System.Text.Json.Nodes;

namespace Ratify.Cli.Output;

/// <summary>Shows the events of a watched run as they arrive.</summary>
internal interface IRunEventWriter
{
    /// <summary>One event: <paramref name="text"/> exactly as the server sent it, and parsed.</summary>
    Task WriteAsync(string text, JsonNode message);

    /// <summary>The approvals the run is waiting on.</summary>
    Task WriteWaitingAsync(IEnumerable<JsonNode> approvals);
}
