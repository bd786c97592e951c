using System.Text.Json.Nodes;

namespace Ratify.Cli.Output;

/// <summary>For scripts: each event as the server sent it, one JSON object per line.</summary>
internal sealed class JsonEventWriter(TextWriter writer) : IRunEventWriter
{
    public Task WriteAsync(string text, JsonNode message) => writer.WriteLineAsync(text);

    public Task WriteWaitingAsync(IEnumerable<JsonNode> approvals) => Task.CompletedTask;
}
