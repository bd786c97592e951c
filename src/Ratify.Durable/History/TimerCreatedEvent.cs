namespace Ratify.Durable.History;

/// <summary>The orchestrator created a durable timer; <c>EventId</c> is its task id.</summary>
internal sealed record TimerCreatedEvent(int EventId, DateTime Timestamp, DateTime FireAt) : HistoryEvent(EventId, Timestamp);
