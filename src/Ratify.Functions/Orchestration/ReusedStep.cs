namespace Ratify.Functions.Orchestration;

/// <summary>A step whose recorded result a run takes over instead of executing it (retry and replay).</summary>
/// <param name="FromRunId">The run that recorded it (the same run for a retry).</param>
/// <param name="Status">Its recorded status: <c>completed</c> or <c>skipped</c>.</param>
/// <param name="Attempts">The attempts it took there.</param>
/// <param name="StartedAt">When it started there, kept so that the reusing run shows the original times.</param>
/// <param name="CompletedAt">When it finished there.</param>
public sealed record ReusedStep(string FromRunId, string Status, int Attempts, DateTimeOffset? StartedAt = null, DateTimeOffset? CompletedAt = null);
