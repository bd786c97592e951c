namespace Ratify.Functions.Triggers;

/// <summary>From <paramref name="From"/> on, the schedule follows <paramref name="Trigger"/> of <paramref name="Version"/>; a null trigger ends it.</summary>
/// <remarks>
/// A new workflow version appends a segment instead of overwriting the schedule: ticks up to its start still belong to
/// the version before, so a tick that was due but not yet evaluated when the version changed is neither lost nor doubled.
/// </remarks>
public sealed record ScheduleSegment(DateTimeOffset From, int Version, CronTrigger? Trigger);
