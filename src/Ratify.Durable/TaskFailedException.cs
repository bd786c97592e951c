namespace Ratify.Durable;

/// <summary>Thrown into an orchestrator when an activity it called failed (after any retries).</summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception for the failed task <paramref name="taskName"/>.</summary>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    /// <summary>The activity name.</summary>
    public string TaskName { get; }

    /// <summary>The sequence id of the scheduled task.</summary>
    public int TaskId { get; }

    /// <summary>What the activity threw.</summary>
    public TaskFailureDetails FailureDetails { get; }
}
