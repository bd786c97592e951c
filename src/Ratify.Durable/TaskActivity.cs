namespace Ratify.Durable;

/// <summary>A typed activity: input and output are (de)serialised for you.</summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, string? input) =>
        await RunAsync(context, DataConverter.Deserialize<TInput>(input)!).ConfigureAwait(false);
}
