namespace Ratify.Functions.Http;

/// <summary>The tenant's schedules, in workflow and trigger order.</summary>
public sealed record ScheduleListResponse(IReadOnlyList<ScheduleResponse> Schedules);
