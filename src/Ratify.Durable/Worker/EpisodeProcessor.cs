using Azure;
using Microsoft.Extensions.Logging;
using Ratify.Durable.Actions;
using Ratify.Durable.Client;
using Ratify.Durable.History;
using Ratify.Durable.Replay;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// Runs one episode of an instance: sorts the waiting messages (new, duplicate, stale, early, poison),
/// replays the orchestrator, commits the new events atomically, and only then dispatches the work.
/// </summary>
/// <remarks>
/// The committed history, not a queue, is the record of owed work: an activity or timer whose
/// dispatch was lost in a crash is dispatched again when the instance is recovered.
/// Nothing is done for a partition this host no longer surely holds (<see cref="PartitionFence"/>):
/// its messages go back to the queue for the partition's owner.
/// </remarks>
internal sealed class EpisodeProcessor(
    DurableTaskOptions options,
    HistoryStore history,
    InstanceStore instances,
    MessageQueues queues,
    OrchestrationExecutor executor,
    ActivityDispatcher activities,
    InstanceNotifier notifier,
    ActiveInstanceHints hints,
    PartitionFence fence,
    ILogger<EpisodeProcessor> logger)
{
    private const int MaxConflictRetries = 5;
    private const int MaxContinueAsNewPerEpisode = 100;
    private static readonly TimeSpan EarlyMessageRetention = TimeSpan.FromMinutes(5);
    private readonly InboxReceipts _receipts = new(queues, logger);

    public async Task ProcessAsync(InstanceSession session, IReadOnlyList<InboxMessage> batch, bool recover)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProcessOnceAsync(session, batch, recover).ConfigureAwait(false);
                return;
            }
            catch (HistoryConflictException) when (attempt < MaxConflictRetries)
            {
                // Someone else wrote the history: start again from what is in storage.
                Logs.StaleWriteRefused(logger, session.InstanceId, "an episode's history commit: another host wrote or loaded the instance since");
                session.State = null;
                recover = true;
            }
            catch (Exception e)
            {
                Logs.EpisodeFailed(logger, session.InstanceId, e);
                session.State = null;
                await _receipts.GiveBackAsync(batch).ConfigureAwait(false);

                // The failure may have come after the commit, before the work was dispatched: check again soon.
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                session.Recover();
                return;
            }
        }
    }

    private async Task ProcessOnceAsync(InstanceSession session, IReadOnlyList<InboxMessage> batch, bool recover)
    {
        if (!fence.Holds(session.Partition))
        {
            await StandDownAsync(session, batch).ConfigureAwait(false);
            return;
        }

        var state = session.State;
        if (state is null && !LooksNew(batch, recover))
        {
            state = await LoadAsync(session.InstanceId).ConfigureAwait(false);
            session.State = state;
        }

        // A message that comes again may mean that the host which had it died after committing and
        // before dispatching: make sure the work that history says is owed is under way.
        recover |= batch.Any(m => m.Receipt?.DequeueCount > 1);
        if (recover && state is not null)
        {
            await RecoverAsync(session, state, batch).ConfigureAwait(false);
        }

        var now = DateTime.UtcNow;
        var sorted = new MessageSorter(options, state, now);
        foreach (var message in batch.OrderBy(m => m.Message.Event is ExecutionStartedEvent ? 0 : 1))
        {
            sorted.Add(message);
        }

        await _receipts.RescheduleAsync(sorted.Rescheduled).ConfigureAwait(false);
        foreach (var early in sorted.Early)
        {
            await _receipts.GiveBackAsync(early, now - early.Receipt!.InsertedOn < EarlyMessageRetention).ConfigureAwait(false);
        }

        if (sorted.Poison.Count > 0)
        {
            await FailForPoisonAsync(session, state, sorted).ConfigureAwait(false);
            return;
        }

        if (sorted.Start is null && sorted.Accepted.Count == 0)
        {
            _receipts.DeleteInBackground(sorted.Dropped);
            return;
        }

        var previousStatus = state?.Status;
        var previousCustomStatus = state?.CustomStatus;
        var runner = session.Runner;
        session.Runner = null; // until the episode is committed, memory may be ahead of storage
        var episode = RunEpisode(session.InstanceId, ref state, ref runner, sorted, now);

        // A terminated orchestrator is not replayed, so its last custom status stands.
        var customStatus = sorted.Accepted.Any(a => a.Event is ExecutionTerminatedEvent) ? previousCustomStatus : episode.Result.CustomStatus;
        if (!fence.Holds(session.Partition))
        {
            // The hold ran out while the episode ran (a long pause): its result is not ours to write.
            await StandDownAsync(session, batch).ConfigureAwait(false);
            return;
        }

        await CommitAsync(state!, episode.Events, customStatus).ConfigureAwait(false);
        session.State = state;
        runner?.MarkRecorded();
        session.Runner = runner;
        if (!fence.Holds(session.Partition))
        {
            // Storage took the commit, so no other host has loaded the instance since: whichever host serves the
            // partition next recovers it from this history and dispatches its work.
            await StandDownAsync(session, []).ConfigureAwait(false);
            Logs.DispatchLeftToOwner(logger, session.InstanceId, session.Partition);
            return;
        }

        // A custom status alone is committed with the history (the client reads it there while the instance runs): the
        // Instances row, which serves queries by status and time, is written when the status or the execution changes.
        var rowChange = state!.Status != previousStatus || episode.IsNewExecution;
        var visibleChange = rowChange || state.CustomStatus != previousCustomStatus;
        await Task.WhenAll(
            DispatchAsync(state, episode.Result.Actions, now),
            rowChange ? WriteInstanceAsync(state) : Task.CompletedTask).ConfigureAwait(false);
        if (visibleChange)
        {
            notifier.Changed(session.InstanceId);
        }

        _receipts.DeleteInBackground([.. sorted.Accepted.Select(a => a.Message), .. sorted.Dropped, .. sorted.StartMessages]);
    }

    /// <summary>
    /// A first delivery of nothing but a start needs no history read: the commit inserts the state row,
    /// which fails (and the episode is redone from storage) if a history exists after all.
    /// </summary>
    private static bool LooksNew(IReadOnlyList<InboxMessage> batch, bool recover) =>
        !recover && batch.Count > 0 && batch.All(m => m.Message.Event is ExecutionStartedEvent && m.Receipt?.DequeueCount == 1);

    private (List<HistoryEvent> Events, OrchestrationResult Result, bool IsNewExecution) RunEpisode(
        string instanceId, ref OrchestrationRuntimeState? state, ref OrchestrationRunner? runner, MessageSorter sorted, DateTime now)
    {
        var newEvents = new List<HistoryEvent> { new OrchestratorStartedEvent(-1, now) };
        var isNewExecution = false;
        var name = sorted.Start?.Name ?? state!.Name;
        if (sorted.Start is { } start)
        {
            state = NewExecution(instanceId, state, start.ExecutionId, keepPrevious: true);
            if (sorted.StartRowETag is { } rowETag)
            {
                state.InstanceETag = new ETag(rowETag); // the client's write of the row: the first update needs no read
            }

            newEvents.Add(start);
            isNewExecution = true;
        }

        newEvents.AddRange(sorted.Accepted.Select(a => a.Event));
        var result = runner is not null && !isNewExecution
            ? executor.Continue(runner, newEvents)
            : executor.Execute(instanceId, state!.Events, newEvents, out runner);
        for (var round = 0; result.Completion?.Status == OrchestrationRuntimeStatusExtensions.ContinuedAsNew; round++)
        {
            if (round == MaxContinueAsNewPerEpisode)
            {
                result = result with
                {
                    Completion = new CompleteOrchestrationAction(OrchestrationRuntimeStatus.Failed, null,
                        new TaskFailureDetails(nameof(InvalidOperationException), $"The orchestrator continued as new {MaxContinueAsNewPerEpisode} times without waiting for anything.", null, null, null), []),
                };
                break;
            }

            // The old execution's history is dropped: that is what keeps eternal orchestrations small.
            var next = Guid.NewGuid().ToString("N");
            var restart = new List<HistoryEvent>
            {
                new OrchestratorStartedEvent(-1, now),
                new ExecutionStartedEvent(-1, now, name, result.Completion!.Result, next),
            };
            restart.AddRange(result.Completion.CarryoverEvents);
            state = NewExecution(instanceId, state, next, keepPrevious: false);
            newEvents = restart;
            result = executor.Execute(instanceId, [], newEvents, out runner);
        }

        if (result.Completion is not null)
        {
            runner = null;
        }

        var events = new List<HistoryEvent>(newEvents);
        foreach (var action in result.Actions)
        {
            events.Add(action switch
            {
                ScheduleTaskOrchestratorAction schedule => new TaskScheduledEvent(schedule.Id, now, schedule.Name, schedule.Input),
                CreateTimerOrchestratorAction timer => new TimerCreatedEvent(timer.Id, now, timer.FireAt),
                _ => throw new InvalidOperationException($"Unknown action {action.GetType().Name}."),
            });
        }

        if (result.Completion is { } completion)
        {
            events.Add(new ExecutionCompletedEvent(-1, now, completion.Status, completion.Result, completion.FailureDetails));
        }

        return (events, result, isNewExecution || state!.Events.Count == 0);
    }

    /// <summary>
    /// The state of a new execution. An instance id started again after its execution finished keeps that execution's rows
    /// (history is never rewritten by a restart); only ContinueAsNew, the eternal-orchestration mechanism, drops them.
    /// </summary>
    private static OrchestrationRuntimeState NewExecution(string instanceId, OrchestrationRuntimeState? previous, string executionId, bool keepPrevious)
    {
        if (previous is null)
        {
            return new(instanceId, executionId, null, []);
        }

        var state = keepPrevious
            ? new OrchestrationRuntimeState(instanceId, executionId, previous.ETag, previous.ObsoleteRowKeys, [.. previous.KeptExecutions, previous.ExecutionId])
            : new OrchestrationRuntimeState(instanceId, executionId, previous.ETag, [.. previous.ObsoleteRowKeys, .. previous.RowKeys], previous.KeptExecutions);
        state.Revision = previous.Revision;
        state.InstanceETag = previous.InstanceETag;
        return state;
    }

    private async Task CommitAsync(OrchestrationRuntimeState state, List<HistoryEvent> events, string? customStatus)
    {
        var started = events.OfType<ExecutionStartedEvent>().LastOrDefault();
        var commit = new HistoryCommit(
            state.InstanceId, state.ExecutionId, started?.Name ?? state.Name, StatusAfter(state.Status, events), state.Events.Count, events, customStatus, state.ETag,
            state.ObsoleteRowKeys,
            state.Revision + 1,
            started?.Timestamp ?? (state.Events.Count > 0 ? state.CreatedTime : null),
            state.KeptExecutions);
        var (etag, rowKeys) = await history.CommitAsync(commit).ConfigureAwait(false);
        state.Revision = commit.Revision;
        state.AppendRange(events);
        state.ETag = etag;
        state.CustomStatus = customStatus;
        state.RowKeys.AddRange(rowKeys);
        state.ObsoleteRowKeys = [];
        hints.Observed(state.InstanceId, state.Status);
    }

    private static OrchestrationRuntimeStatus StatusAfter(OrchestrationRuntimeStatus status, IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            status = e switch
            {
                ExecutionStartedEvent or ExecutionResumedEvent => OrchestrationRuntimeStatus.Running,
                ExecutionSuspendedEvent => OrchestrationRuntimeStatus.Suspended,
                ExecutionCompletedEvent completed => completed.OrchestrationStatus,
                _ => status,
            };
        }

        return status;
    }

    private async Task<OrchestrationRuntimeState?> LoadAsync(string instanceId)
    {
        var snapshot = await history.LoadAsync(instanceId).ConfigureAwait(false);
        if (snapshot is null)
        {
            return null;
        }

        // From here on, a host that still has this instance in memory (one that lost the partition) cannot commit.
        var claimed = await history.ClaimAsync(instanceId, snapshot.ETag).ConfigureAwait(false);
        var state = new OrchestrationRuntimeState(instanceId, snapshot.ExecutionId, claimed, snapshot.ObsoleteRowKeys, snapshot.KeptExecutions)
        {
            CustomStatus = snapshot.CustomStatus,
            Revision = snapshot.Revision,
        };
        state.AppendRange(snapshot.Events);
        state.RowKeys.AddRange(snapshot.RowKeys);
        return state;
    }

    /// <summary>Dispatches the work the history says is owed, and repairs the Instances row.</summary>
    /// <remarks>
    /// An activity is not owed while it runs here, nor once its result waits in this episode's batch or the session's inbox.
    /// The order of the checks matters: this host hands the result to the session before it stops counting the activity as running.
    /// </remarks>
    private async Task RecoverAsync(InstanceSession session, OrchestrationRuntimeState state, IReadOnlyList<InboxMessage> batch)
    {
        var now = DateTime.UtcNow;
        var owedTasks = state.OpenTasks.Values
            .Where(t => !activities.IsRunningLocally(state.InstanceId, state.ExecutionId, t.EventId)
                && !batch.Any(m => AnswersTask(m.Message, state.ExecutionId, t.EventId))
                && !session.HasWaiting(m => AnswersTask(m, state.ExecutionId, t.EventId)))
            .Select(t => new ScheduleTaskOrchestratorAction(t.EventId, t.Name, t.Input));
        var owedTimers = state.OpenTimers.Select(t => new CreateTimerOrchestratorAction(t.Key, t.Value));
        await Task.WhenAll(
            DispatchAsync(state, [.. owedTasks, .. owedTimers], now),
            WriteInstanceAsync(state)).ConfigureAwait(false);
        notifier.Changed(state.InstanceId);
    }

    private static bool AnswersTask(TaskMessage message, string executionId, int taskId) =>
        message.ExecutionId == executionId && message.Event switch
        {
            TaskCompletedEvent completed => completed.TaskScheduledId == taskId,
            TaskFailedEvent failed => failed.TaskScheduledId == taskId,
            _ => false,
        };

    private async Task DispatchAsync(OrchestrationRuntimeState state, IReadOnlyList<OrchestratorAction> actions, DateTime now)
    {
        var sends = new List<Task>();
        foreach (var action in actions)
        {
            switch (action)
            {
                case ScheduleTaskOrchestratorAction schedule:
                    sends.Add(activities.DispatchAsync(TaskMessage.For(state.InstanceId, state.ExecutionId,
                        new TaskScheduledEvent(schedule.Id, now, schedule.Name, schedule.Input))));
                    break;
                case CreateTimerOrchestratorAction timer:
                    sends.Add(queues.SendControlAsync(
                        TaskMessage.For(state.InstanceId, state.ExecutionId, new TimerFiredEvent(-1, timer.FireAt, timer.Id, timer.FireAt)),
                        timer.FireAt - DateTime.UtcNow));
                    break;
            }
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task FailForPoisonAsync(InstanceSession session, OrchestrationRuntimeState? state, MessageSorter sorted)
    {
        var poison = sorted.Poison[0];
        var reason = $"A message for this instance ({poison.Message.Event.GetType().Name.Replace("Event", string.Empty, StringComparison.Ordinal)}) " +
            $"failed to be processed {poison.Receipt!.DequeueCount} times and was moved to the poison queue.";
        foreach (var message in sorted.Poison)
        {
            await queues.MoveToPoisonAsync(message.Receipt!, reason).ConfigureAwait(false);
        }

        var now = DateTime.UtcNow;
        var failed = new ExecutionCompletedEvent(-1, now, OrchestrationRuntimeStatus.Failed, null, new TaskFailureDetails("PoisonMessage", reason, null, null, null));
        List<HistoryEvent>? events = null;
        if (state is { IsTerminal: false })
        {
            events = [new OrchestratorStartedEvent(-1, now), failed];
        }
        else if (poison.Message.Event is ExecutionStartedEvent started && state?.ExecutionId != started.ExecutionId)
        {
            // The instance never got going: record its start and its failure so that clients see why.
            state = NewExecution(session.InstanceId, state, started.ExecutionId, keepPrevious: true);
            events = [new OrchestratorStartedEvent(-1, now), started, failed];
        }

        if (events is not null && fence.Holds(session.Partition))
        {
            await CommitAsync(state!, events, state!.CustomStatus).ConfigureAwait(false);
            session.State = state;
            await WriteInstanceAsync(state).ConfigureAwait(false);
            notifier.Changed(session.InstanceId);
        }

        // The other messages are handled again in the next episode, against the failed state.
        await _receipts.GiveBackAsync([.. sorted.Accepted.Select(a => a.Message), .. sorted.StartMessages, .. sorted.Dropped]).ConfigureAwait(false);
    }

    /// <summary>Leaves the instance to the partition's owner: its messages go back to the queue, its cached state is dropped.</summary>
    private async Task StandDownAsync(InstanceSession session, IReadOnlyList<InboxMessage> batch)
    {
        session.State = null;
        if (batch.Count > 0)
        {
            Logs.WorkDropped(logger, batch.Count, session.InstanceId, session.Partition);
            await _receipts.GiveBackAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the Instances row for the committed state; storage refuses it when a newer revision is there.</summary>
    private async Task WriteInstanceAsync(OrchestrationRuntimeState state)
    {
        var (etag, storedRevision) = await instances.WriteIfNewerAsync(ToRecord(state), state.InstanceETag).ConfigureAwait(false);
        state.InstanceETag = etag;
        if (etag is null && storedRevision > state.Revision)
        {
            Logs.StaleWriteRefused(logger, state.InstanceId, $"its Instances row at revision {state.Revision}, where storage has revision {storedRevision}");
        }
    }

    private InstanceRecord ToRecord(OrchestrationRuntimeState state) => new(
        state.InstanceId,
        state.Name,
        state.ExecutionId,
        state.Status,
        state.CreatedTime,
        state.LastUpdatedTime,
        state.CompletedTime,
        state.Input,
        state.Output,
        state.CustomStatus,
        state.FailureDetails,
        queues.PartitionOf(state.InstanceId),
        state.Revision);
}
