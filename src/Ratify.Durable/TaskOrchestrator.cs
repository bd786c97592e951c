namespace Ratify.Durable;

/// <summary>A typed orchestrator: input and output are (de)serialised for you.</summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    /// <summary>The orchestration's logic.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, string? input) =>
        await RunAsync(context, DataConverter.Deserialize<TInput>(input)!);
}
