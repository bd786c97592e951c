namespace Ratify.Durable.History;

/// <summary>The timer with task id <paramref name="TimerId"/> fired.</summary>
internal sealed record TimerFiredEvent(int EventId, DateTime Timestamp, int TimerId, DateTime FireAt) : HistoryEvent(EventId, Timestamp);
