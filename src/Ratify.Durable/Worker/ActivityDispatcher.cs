using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ratify.Durable.History;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>
/// Runs activities: at once in this host when it has a free slot, otherwise through the work-item queue
/// that every host polls. Results go back to the instance's control queue, or straight to its session
/// when this host owns the instance's partition.
/// </summary>
/// <remarks>
/// An activity kept here is started only while this host still holds its instance's partition
/// (<see cref="PartitionFence"/>); otherwise it is dropped, and the partition's owner, which recovers
/// the instance from its history, dispatches it again.
/// </remarks>
internal sealed class ActivityDispatcher(
    DurableTaskOptions options,
    RegisteredTasks tasks,
    IServiceProvider services,
    MessageQueues queues,
    StorageAccount account,
    PartitionFence fence,
    ILogger<ActivityDispatcher> logger)
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentActivityFunctions, options.MaxConcurrentActivityFunctions);
    private readonly ConcurrentDictionary<(string InstanceId, string? ExecutionId, int TaskId), byte> _running = new();
    private readonly WakeSignal _wake = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly ConcurrentQueue<TaskMessage> _backlog = new();

    /// <summary>Delivers an activity's result; set by the worker to the orchestration dispatcher.</summary>
    public Func<TaskMessage, Task>? DeliverResult { get; set; }

    /// <summary>True from when the activity is kept or started here until its result has been handed on.</summary>
    public bool IsRunningLocally(string instanceId, string executionId, int taskId) => _running.ContainsKey((instanceId, executionId, taskId));

    /// <summary>
    /// Starts a scheduled activity here if a slot is free, keeps it in a bounded local backlog if not,
    /// and only beyond that queues it for any host.
    /// </summary>
    /// <remarks>The committed history records the activity as owed, so one that dies with this host is dispatched again.</remarks>
    public async Task DispatchAsync(TaskMessage workItem)
    {
        if (options.StorageProvider.LocalActivityExecution)
        {
            if (_slots.Wait(0))
            {
                Track(RunAndDeliverAsync(workItem, receipt: null));
                return;
            }

            if (_backlog.Count < options.StorageProvider.MaxLocalActivityBacklog)
            {
                _running[KeyOf(workItem)] = 0;
                _backlog.Enqueue(workItem);
                if (_slots.Wait(0))
                {
                    RunNextOrRelease(); // every slot freed up in between
                }

                return;
            }
        }

        await queues.SendWorkItemAsync(workItem).ConfigureAwait(false);
        _wake.Set();
    }

    /// <summary>Polls the work-item queue while there are free slots, until <paramref name="stopping"/>.</summary>
    public async Task PollAsync(CancellationToken stopping)
    {
        var interval = options.StorageProvider.MinQueuePollingInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stopping).ConfigureAwait(false);
                var extra = Math.Min(31, _slots.CurrentCount);
                IReadOnlyList<ReceivedMessage> received;
                try
                {
                    received = await queues.ReceiveAsync(account.WorkItemQueue, 1 + extra, options.StorageProvider.WorkItemQueueVisibilityTimeout, stopping).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    RunNextOrRelease(); // a failed or cancelled poll must not keep its slot
                    throw;
                }

                if (received.Count == 0)
                {
                    // An activity kept here while this poll held the slot would otherwise wait for another activity to end.
                    RunNextOrRelease();
                    var woken = await _wake.WaitAsync(interval, stopping).ConfigureAwait(false);
                    interval = woken ? options.StorageProvider.MinQueuePollingInterval : Next(interval);
                    continue;
                }

                interval = options.StorageProvider.MinQueuePollingInterval;
                for (var i = 0; i < received.Count; i++)
                {
                    if (i > 0 && !_slots.Wait(0))
                    {
                        await queues.AbandonAsync(received[i], TimeSpan.Zero).ConfigureAwait(false);
                        continue;
                    }

                    Track(RunQueuedAsync(received[i]));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage errors (including the SDK's AggregateException after its retries) must not end the loop.
                Logs.PollFailed(logger, account.WorkItemQueue.Name, e);
                await Task.Delay(options.StorageProvider.MaxQueuePollingInterval, stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for the activities running in this host, up to <paramref name="timeout"/>.</summary>
    public Task DrainAsync(TimeSpan timeout) => Task.WhenAny(Task.WhenAll(_inFlight.Keys), Task.Delay(timeout));

    private async Task RunQueuedAsync(ReceivedMessage received)
    {
        if (received.DequeueCount > options.StorageProvider.MaxDequeueCount)
        {
            try
            {
                var reason = $"The activity message was received {received.DequeueCount} times without finishing and was moved to the poison queue.";
                var scheduled = (TaskScheduledEvent)received.Message.Event;
                await Deliver(received.Message, new TaskFailedEvent(-1, DateTime.UtcNow, scheduled.EventId, new TaskFailureDetails("PoisonMessage", reason, null, null, null))).ConfigureAwait(false);
                await queues.MoveToPoisonAsync(received, reason).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }

            return;
        }

        await RunAndDeliverAsync(received.Message, received).ConfigureAwait(false);
    }

    private async Task RunAndDeliverAsync(TaskMessage workItem, ReceivedMessage? receipt)
    {
        if (receipt is null && !MayStartHere(workItem))
        {
            RunNextOrRelease();
            return;
        }

        var key = KeyOf(workItem);
        _running[key] = 0;
        try
        {
            HistoryEvent result;
            using var renewal = new CancellationTokenSource();
            var renewing = receipt is null ? Task.FromResult(string.Empty) : KeepHiddenAsync(receipt, renewal.Token);
            try
            {
                result = await RunAsync(workItem).ConfigureAwait(false);
            }
            finally
            {
                RunNextOrRelease();
                await renewal.CancelAsync().ConfigureAwait(false);
            }

            var popReceipt = await renewing.ConfigureAwait(false);

            try
            {
                await Deliver(workItem, result).ConfigureAwait(false);
                if (receipt is not null)
                {
                    await queues.DeleteAsync(receipt with { PopReceipt = popReceipt }).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException)
            {
                // The queued work item comes back, or recovery dispatches the activity again.
                Logs.DeliverFailed(logger, workItem.InstanceId, e);
            }
        }
        finally
        {
            // Only once the result is with the instance's session (or its queue) may recovery stop counting it as under way:
            // between the end of the run and the delivery, the activity would otherwise look lost and run a second time.
            _running.TryRemove(key, out _);
        }
    }

    private async Task<HistoryEvent> RunAsync(TaskMessage workItem)
    {
        await Task.Yield(); // never run user code on the dispatcher's thread
        var scheduled = (TaskScheduledEvent)workItem.Event;
        try
        {
            await using var scope = services.CreateAsyncScope();
            var activity = tasks.CreateActivity(scheduled.Name, scope.ServiceProvider)
                ?? throw new InvalidOperationException($"No activity named '{scheduled.Name}' is registered with this worker.");
            var input = tasks.Converter.Deserialize(scheduled.Input, activity.InputType);
            var output = await activity.RunAsync(new StorageTaskActivityContext(scheduled.Name, workItem.InstanceId), input).ConfigureAwait(false);
            return new TaskCompletedEvent(-1, DateTime.UtcNow, scheduled.EventId, tasks.Converter.Serialize(output));
        }
#pragma warning disable CA1031 // Any exception of user code becomes the activity's recorded failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new TaskFailedEvent(-1, DateTime.UtcNow, scheduled.EventId, TaskFailureDetails.FromException(e));
        }
    }

    private Task Deliver(TaskMessage workItem, HistoryEvent result)
    {
        var message = TaskMessage.For(workItem.InstanceId, workItem.ExecutionId, result);
        return DeliverResult is { } deliver ? deliver(message) : queues.SendControlAsync(message);
    }

    private async Task<string> KeepHiddenAsync(ReceivedMessage receipt, CancellationToken done)
    {
        var visibility = options.StorageProvider.WorkItemQueueVisibilityTimeout;
        var popReceipt = receipt.PopReceipt;
        try
        {
            while (true)
            {
                await Task.Delay(visibility / 2, done).ConfigureAwait(false);
                popReceipt = await queues.RenewAsync(receipt, popReceipt, visibility).ConfigureAwait(false) ?? popReceipt;
            }
        }
        catch (OperationCanceledException)
        {
            // The activity finished.
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            Logs.RenewFailed(logger, receipt.Message.InstanceId, e);
        }

        return popReceipt;
    }

    /// <summary>Hands the caller's slot to the next backlog item, or frees it.</summary>
    private void RunNextOrRelease()
    {
        while (_backlog.TryDequeue(out var next))
        {
            if (MayStartHere(next))
            {
                Track(RunAndDeliverAsync(next, receipt: null));
                return;
            }
        }

        _slots.Release();
    }

    /// <summary>True while this host holds the partition of the activity's instance; else the activity is dropped.</summary>
    private bool MayStartHere(TaskMessage workItem)
    {
        var partition = queues.PartitionOf(workItem.InstanceId);
        if (fence.Holds(partition))
        {
            return true;
        }

        Logs.ActivityDropped(logger, ((TaskScheduledEvent)workItem.Event).Name, workItem.Event.EventId, workItem.InstanceId, partition);
        _running.TryRemove(KeyOf(workItem), out _);
        return false;
    }

    private static (string, string?, int) KeyOf(TaskMessage workItem) => (workItem.InstanceId, workItem.ExecutionId, workItem.Event.EventId);

    private void Track(Task task)
    {
        _inFlight[task] = 0;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    private TimeSpan Next(TimeSpan interval)
    {
        var doubled = interval * 2;
        return doubled > options.StorageProvider.MaxQueuePollingInterval ? options.StorageProvider.MaxQueuePollingInterval : doubled;
    }
}
