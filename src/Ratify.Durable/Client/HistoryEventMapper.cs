using DurableTask.Core;
using Ratify.Durable.History;
using Core = DurableTask.Core.History;

namespace Ratify.Durable.Client;

/// <summary>Translates this backend's stored history records into the Durable Task Framework's history events that the SDK's client returns.</summary>
internal static class HistoryEventMapper
{
    public static Core.HistoryEvent ToCore(string instanceId, HistoryEvent e)
    {
        Core.HistoryEvent mapped = e switch
        {
            ExecutionStartedEvent started => new Core.ExecutionStartedEvent(started.EventId, started.Input)
            {
                Name = started.Name,
                OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = started.ExecutionId },
                ScheduledStartTime = started.ScheduledStartTime,
            },
            OrchestratorStartedEvent => new Core.OrchestratorStartedEvent(e.EventId),
            TaskScheduledEvent scheduled => new Core.TaskScheduledEvent(scheduled.EventId, scheduled.Name, null, scheduled.Input),
            TaskCompletedEvent completed => new Core.TaskCompletedEvent(completed.EventId, completed.TaskScheduledId, completed.Result),
            TaskFailedEvent failed => new Core.TaskFailedEvent(failed.EventId, failed.TaskScheduledId, failed.FailureDetails.ErrorMessage, null, failed.FailureDetails.ToCoreFailureDetails()),
            TimerCreatedEvent created => new Core.TimerCreatedEvent(created.EventId, created.FireAt),
            TimerFiredEvent fired => new Core.TimerFiredEvent(fired.EventId, fired.FireAt) { TimerId = fired.TimerId },
            EventRaisedEvent raised => new Core.EventRaisedEvent(raised.EventId, raised.Input) { Name = raised.Name },
            ExecutionSuspendedEvent suspended => new Core.ExecutionSuspendedEvent(suspended.EventId, suspended.Reason),
            ExecutionResumedEvent resumed => new Core.ExecutionResumedEvent(resumed.EventId, resumed.Reason),
            ExecutionTerminatedEvent terminated => new Core.ExecutionTerminatedEvent(terminated.EventId, terminated.Reason),
            ExecutionCompletedEvent done => new Core.ExecutionCompletedEvent(done.EventId, done.Result, ToCore(done.OrchestrationStatus),
                done.FailureDetails is { } failure ? failure.ToCoreFailureDetails() : null),
            _ => throw new InvalidOperationException($"Unknown history record {e.GetType().Name}."),
        };
        mapped.Timestamp = e.Timestamp;
        return mapped;
    }

    private static OrchestrationStatus ToCore(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => OrchestrationStatus.Running,
        OrchestrationRuntimeStatus.Completed => OrchestrationStatus.Completed,
        OrchestrationRuntimeStatusExtensions.ContinuedAsNew => OrchestrationStatus.ContinuedAsNew,
        OrchestrationRuntimeStatus.Failed => OrchestrationStatus.Failed,
        OrchestrationRuntimeStatus.Terminated => OrchestrationStatus.Terminated,
        OrchestrationRuntimeStatus.Suspended => OrchestrationStatus.Suspended,
        _ => OrchestrationStatus.Pending,
    };
}
