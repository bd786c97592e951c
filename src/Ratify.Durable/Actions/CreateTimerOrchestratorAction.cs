namespace Ratify.Durable.Actions;

/// <summary>Fire a durable timer at <paramref name="FireAt"/> (UTC).</summary>
public sealed record CreateTimerOrchestratorAction(int Id, DateTime FireAt) : OrchestratorAction(Id);
