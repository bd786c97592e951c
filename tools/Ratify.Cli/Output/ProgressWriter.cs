using System.Globalization;
using System.Text.Json.Nodes;

namespace Ratify.Cli.Output;

/// <summary>For people: one line per event with its time, type, step and what it says.</summary>
internal sealed class ProgressWriter(TextWriter writer) : IRunEventWriter
{
    public Task WriteAsync(string text, JsonNode message)
    {
        var data = message["data"];
        var at = DateTimeOffset.TryParse(Values.Text(message, "at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : "--:--:--";
        var subject = Values.Text(data, "stepId") is { } step
            ? $"{step}{(Values.Text(data, "attempt") is { } attempt and not "1" ? $" (attempt {attempt})" : "")}"
            : Values.Text(data, "name") is { } artifact ? artifact : "";
        var detail = Values.Error(data) is { } error ? "  " + error : "";
        var line = $"{at}  {Values.Text(message, "type"),-22} {subject}{detail}".TrimEnd();
        return writer.WriteLineAsync(new string([.. line.Select(c => char.IsControl(c) ? ' ' : c)]));
    }

    public async Task WriteWaitingAsync(IEnumerable<JsonNode> approvals)
    {
        foreach (var approval in approvals)
        {
            var id = Values.Text(approval, "approvalId");
            await writer.WriteLineAsync($"          waiting for approval {id} on step {Values.Text(approval, "stepId")}: ratify approvals approve {id}").ConfigureAwait(false);
        }
    }
}
