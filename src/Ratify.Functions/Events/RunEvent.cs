using System.Text.Json.Nodes;

namespace Ratify.Functions.Events;

/// <summary>
/// One event of a run: its per-run sequence number (1, 2, …), type (<c>run.started</c>, <c>step.completed</c> …), time and data,
/// and its position in its tenant's feed of every run's events (<paramref name="Cursor"/>).
/// </summary>
public sealed record RunEvent(long Seq, string RunId, string Type, DateTimeOffset At, JsonObject Data, long Cursor = 0)
{
    /// <summary>The event as clients of a run's stream receive it.</summary>
    public JsonObject ToJson() => new()
    {
        ["seq"] = Seq,
        ["runId"] = RunId,
        ["type"] = Type,
        ["at"] = At,
        ["data"] = Data.DeepClone(),
    };

    /// <summary>The event as clients of the tenant's stream receive it: with its feed position, to resume after.</summary>
    public JsonObject ToTenantJson()
    {
        var json = ToJson();
        json["cursor"] = Cursor;
        return json;
    }
}
