namespace Ratify.Durable.Actions;

/// <summary>Run activity <paramref name="Name"/> with <paramref name="Input"/>.</summary>
internal sealed record ScheduleTaskOrchestratorAction(int Id, string Name, string? Input) : OrchestratorAction(Id);
