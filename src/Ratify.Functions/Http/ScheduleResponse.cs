using System.Text.Json.Nodes;
using Ratify.Functions.Triggers;

namespace Ratify.Functions.Http;

/// <summary>A cron trigger's schedule as listed: what it follows, its last tick and its next one.</summary>
public sealed record ScheduleResponse(
    string WorkflowId,
    int Trigger,
    int Version,
    string Schedule,
    string TimeZone,
    JsonNode? Input,
    int CatchUp,
    string Overlap,
    bool Paused,
    DateTimeOffset? LastTick,
    string? LastOutcome,
    string? LastMessage,
    string? LastRunId,
    DateTimeOffset? NextTick)
{
    /// <summary>The view of <paramref name="schedule"/> at <paramref name="now"/>; null for a schedule that has ended.</summary>
    public static ScheduleResponse? From(ScheduleRecord schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var current = schedule.Current;
        if (current.Trigger is not { } trigger)
        {
            return null;
        }

        // The next tick of the version in force, after whatever was handled already.
        var after = new[] { now, schedule.Cursor, current.From }.Max();
        return new ScheduleResponse(
            schedule.WorkflowId, schedule.TriggerIndex, current.Version, trigger.Schedule, trigger.TimeZone, trigger.Input, trigger.CatchUp,
            trigger.Overlap, schedule.Paused, schedule.LastTick, schedule.LastOutcome, schedule.LastMessage, schedule.LastRunId,
            schedule.Paused ? null : trigger.NextTick(after));
    }
}
