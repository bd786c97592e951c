namespace Ratify.Durable.History;

/// <summary>Marks the start of an episode; its timestamp is the orchestrator's replay-safe current time.</summary>
internal sealed record OrchestratorStartedEvent(int EventId, DateTime Timestamp) : HistoryEvent(EventId, Timestamp);
