namespace Ratify.Durable.History;

/// <summary>The orchestrator scheduled activity <paramref name="Name"/>; <c>EventId</c> is its task id.</summary>
internal sealed record TaskScheduledEvent(int EventId, DateTime Timestamp, string Name, string? Input) : HistoryEvent(EventId, Timestamp);
