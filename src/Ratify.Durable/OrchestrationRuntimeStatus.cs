namespace Ratify.Durable;

/// <summary>The lifecycle state of an orchestration instance.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Scheduled but not started yet.</summary>
    Pending,

    /// <summary>Started and not finished.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Completed,

    /// <summary>Restarted itself with new input; only seen in history.</summary>
    ContinuedAsNew,

    /// <summary>Finished with an unhandled failure.</summary>
    Failed,

    /// <summary>Stopped by a terminate request.</summary>
    Terminated,

    /// <summary>Paused by a suspend request; messages are kept until it is resumed.</summary>
    Suspended,
}
