namespace Ratify.Durable.Actions;

/// <summary>Fire a durable timer at <paramref name="FireAt"/> (UTC).</summary>
internal sealed record CreateTimerOrchestratorAction(int Id, DateTime FireAt) : OrchestratorAction(Id);
