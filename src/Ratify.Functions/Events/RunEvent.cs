using System.Text.Json.Nodes;

namespace Ratify.Functions.Events;

/// <summary>One event of a run: its per-run sequence number (1, 2, …), type (<c>run.started</c>, <c>step.completed</c> …), time and data.</summary>
public sealed record RunEvent(long Seq, string RunId, string Type, DateTimeOffset At, JsonObject Data)
{
    /// <summary>The event as clients receive it.</summary>
    public JsonObject ToJson() => new()
    {
        ["seq"] = Seq,
        ["runId"] = RunId,
        ["type"] = Type,
        ["at"] = At,
        ["data"] = Data.DeepClone(),
    };
}
