using System.Text.Json.Nodes;

namespace Ratify.Cli.Output;

/// <summary>Shows a run for people: a summary line and a table of its steps.</summary>
internal static class RunPrinter
{
    public static async Task WriteAsync(TextWriter writer, JsonNode run)
    {
        await writer.WriteLineAsync($"run {Values.Text(run, "runId")}  {Values.Text(run, "status")}  workflow {Values.Text(run, "workflowId")} v{Values.Text(run, "version")}").ConfigureAwait(false);
        await writer.WriteLineAsync($"created {Values.Time(run, "createdAt")} by {Values.Text(run, "createdBy")}{Optional(", completed ", Values.Time(run, "completedAt"))}{Optional(", replays ", Values.Text(run, "replayOf"))}").ConfigureAwait(false);
        if (Values.Error(run) is { } error)
        {
            await writer.WriteLineAsync("error: " + error).ConfigureAwait(false);
        }

        var steps = new Table("STEP", "STATUS", "ATTEMPTS", "STARTED", "COMPLETED", "DETAIL");
        foreach (var step in Values.Items(run, "steps"))
        {
            steps.Add(Values.Text(step, "id"), Values.Text(step, "status"), Values.Text(step, "attempts"), Values.Time(step, "startedAt"),
                Values.Time(step, "completedAt"), Detail(step));
        }

        steps.WriteTo(writer);
    }

    private static string? Detail(JsonNode step)
    {
        if (Values.Error(step) is { } error)
        {
            return error;
        }

        if (step["approval"] is JsonObject approval)
        {
            return $"approval {Values.Text(approval, "approvalId")} {Values.Text(approval, "status")}";
        }

        return Values.Text(step, "reusedFrom") is { } reused ? "reused from " + reused : null;
    }

    private static string Optional(string prefix, string? value) => value is null ? "" : prefix + value;
}
