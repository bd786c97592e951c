namespace Ratify.Durable;

/// <summary>An orchestrator: deterministic code that is replayed from its history.</summary>
/// <remarks>
/// Everything non-deterministic (time, GUIDs, I/O) must go through the <see cref="TaskOrchestrationContext"/>
/// or an activity, and only the context's tasks may be awaited.
/// </remarks>
public interface ITaskOrchestrator
{
    /// <summary>Runs the orchestration with its serialised input.</summary>
    Task<object?> RunAsync(TaskOrchestrationContext context, string? input);
}
