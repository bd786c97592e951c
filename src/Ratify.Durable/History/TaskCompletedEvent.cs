namespace Ratify.Durable.History;

/// <summary>The activity with task id <paramref name="TaskScheduledId"/> returned <paramref name="Result"/>.</summary>
internal sealed record TaskCompletedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(EventId, Timestamp);
