namespace Ratify.Durable.Actions;

/// <summary>Something the orchestrator asked for during an episode; recorded as history when the episode commits.</summary>
/// <param name="Id">The task sequence id (the same on every replay).</param>
internal abstract record OrchestratorAction(int Id);
