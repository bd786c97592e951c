namespace Ratify.Durable;

/// <summary>An activity: the unit of real work an orchestration schedules.</summary>
/// <remarks>Activities run at least once; their result is recorded once.</remarks>
public interface ITaskActivity
{
    /// <summary>Runs the activity with its serialised input.</summary>
    Task<object?> RunAsync(TaskActivityContext context, string? input);
}
