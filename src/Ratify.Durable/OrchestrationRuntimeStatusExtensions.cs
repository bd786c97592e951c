namespace Ratify.Durable;

/// <summary>Helpers on <see cref="OrchestrationRuntimeStatus"/>.</summary>
internal static class OrchestrationRuntimeStatusExtensions
{
#pragma warning disable CS0618 // Obsolete for clients, who never see it; an execution that continues as new still ends with it in history.
    /// <summary>The status an execution ends with when it continues as new.</summary>
    public const OrchestrationRuntimeStatus ContinuedAsNew = OrchestrationRuntimeStatus.ContinuedAsNew;
#pragma warning restore CS0618

    /// <summary>True for the states an instance never leaves by itself: completed, failed, terminated.</summary>
    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
