namespace Ratify.Durable.History;

/// <summary>The activity with task id <paramref name="TaskScheduledId"/> threw.</summary>
internal sealed record TaskFailedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent(EventId, Timestamp);
