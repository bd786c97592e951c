namespace Ratify.Functions.Triggers;

/// <summary>One cron trigger's schedule as the Schedules table keeps it: its segments, how far it was evaluated, and its last tick.</summary>
/// <param name="TenantId">The tenant of the workflow.</param>
/// <param name="WorkflowId">The workflow.</param>
/// <param name="TriggerIndex">The trigger's position in the definition's <c>triggers</c>.</param>
/// <param name="Segments">The versions the schedule follows, oldest first; the last one is in force.</param>
/// <param name="Cursor">Every tick up to and including this time has been handled.</param>
/// <param name="Paused">A paused schedule starts no runs; ticks while paused are passed over.</param>
/// <param name="LastTick">The latest tick handled, if any.</param>
/// <param name="LastRunId">The run the schedule started last.</param>
/// <param name="LastOutcome">What happened at <paramref name="LastTick"/>: <c>started</c>, <c>skipped_overlap</c>, <c>skipped_missed</c> or <c>failed</c>.</param>
/// <param name="LastMessage">Why, for a failed tick.</param>
/// <param name="ETag">The row's version, for conditional writes.</param>
public sealed record ScheduleRecord(
    string TenantId,
    string WorkflowId,
    int TriggerIndex,
    IReadOnlyList<ScheduleSegment> Segments,
    DateTimeOffset Cursor,
    bool Paused,
    DateTimeOffset? LastTick,
    string? LastRunId,
    string? LastOutcome,
    string? LastMessage,
    string ETag)
{
    /// <summary>The segment in force now.</summary>
    public ScheduleSegment Current => Segments[^1];

    /// <summary>Whether the schedule has ended (its trigger was removed or its workflow archived) and every tick before that was handled.</summary>
    public bool IsFinished => Current.Trigger is null && Cursor >= Current.From;
}
