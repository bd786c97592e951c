using Azure.Data.Tables;
using DurableTask.Core.Exceptions;
using Microsoft.Extensions.Options;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;
using CoreHistoryEvent = DurableTask.Core.History.HistoryEvent;

namespace Ratify.Durable.Client;

/// <summary>This backend's implementation of Microsoft's <see cref="DurableTaskClient"/>: writes the Instances table and sends control messages.</summary>
/// <remarks>Durable entities, rewind and restart are not supported: those members throw <see cref="NotSupportedException"/>.</remarks>
internal sealed class AzureStorageDurableTaskClient(
    string name,
    IOptionsMonitor<DurableTaskClientOptions> clientOptions,
    StorageAccount account,
    InstanceStore instances,
    HistoryStore history,
    PayloadStore payloads,
    MessageQueues queues,
    InstanceNotifier notifier,
    ActiveInstanceHints hints) : DurableTaskClient(name)
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(1);
    private readonly DataConverter _converter = clientOptions.Get(name).DataConverter;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName.Name);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIds.Validate(instanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);

        var now = DateTime.UtcNow;
        var executionId = Guid.NewGuid().ToString("N");
        var serializedInput = _converter.Serialize(input);
        var record = new InstanceRecord(instanceId, orchestratorName.Name, executionId, OrchestrationRuntimeStatus.Pending, now, now, null,
            serializedInput, null, null, null, queues.PartitionOf(instanceId));

        // Insert first: a new id costs one write; only an existing id is read, to see whether it may restart.
        var written = await instances.TryCreateAsync(record, replacing: null).ConfigureAwait(false);
        if (written is null)
        {
            var existing = await instances.GetAsync(instanceId, cancellation).ConfigureAwait(false);
            var status = existing?.Record.Status ?? OrchestrationRuntimeStatus.Pending;
            if (existing is null || !status.IsTerminal() || options?.DedupeStatuses?.Contains(status.ToString()) == true)
            {
                throw AlreadyExists(instanceId, status);
            }

            // The new execution continues the history's revisions: a late write of the old one must not replace this row.
            written = await instances.TryCreateAsync(record with { Revision = existing.Value.Record.Revision }, existing.Value.ETag).ConfigureAwait(false)
                ?? throw AlreadyExists(instanceId, OrchestrationRuntimeStatus.Pending);
        }

        var startAt = options?.StartAt?.UtcDateTime;
        var started = new ExecutionStartedEvent(-1, now, orchestratorName.Name, serializedInput, executionId, startAt);
        var message = TaskMessage.For(instanceId, executionId, started) with { InstanceRowETag = written.Value.ToString() };
        await queues.SendControlAsync(message, startAt - now).ConfigureAwait(false);
        return instanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var messageId = Guid.NewGuid().ToString("N");
        var raised = new EventRaisedEvent(-1, DateTime.UtcNow, eventName, _converter.Serialize(eventPayload), messageId);
        return SendAsync(new TaskMessage(messageId, instanceId, null, raised));
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive termination is not supported: this backend has no sub-orchestrations.");
        }

        var terminated = new ExecutionTerminatedEvent(-1, DateTime.UtcNow, _converter.Serialize(options?.Output));
        return SendAsync(TaskMessage.For(instanceId, null, terminated));
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(TaskMessage.For(instanceId, null, new ExecutionSuspendedEvent(-1, DateTime.UtcNow, reason)));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(TaskMessage.For(instanceId, null, new ExecutionResumedEvent(-1, DateTime.UtcNow, reason)));

    /// <remarks>
    /// One point read in the common case. The Instances row changes with the runtime status; while the instance runs, its
    /// custom status is current on the history's state row, written with every episode. An instance this process last saw
    /// running is read from the state row alone (with the Instances row beside it, at once, when inputs and outputs are
    /// asked for); any other from the Instances row, then the state row only if that shows it running.
    /// </remarks>
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        InstanceIds.Validate(instanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);
        Task<InstanceStateRow?>? stateRead = null;
        if (hints.IsLikelyActive(instanceId))
        {
            stateRead = history.ReadStateAsync(instanceId, cancellation);
            if (!getInputsAndOutputs)
            {
                var state = await stateRead.ConfigureAwait(false);
                if (state is { Status: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended, CreatedTime: { } created })
                {
                    return ToMetadata(instanceId, state, created);
                }
            }
        }

        var instanceRead = instances.GetAsync(instanceId, cancellation);
        if (stateRead is not null)
        {
            await Task.WhenAll(instanceRead, stateRead).ConfigureAwait(false); // side by side: one round trip
        }

        var found = await instanceRead.ConfigureAwait(false);
        hints.Observed(instanceId, found?.Record.Status);
        if (found is not { Record: var record })
        {
            return null;
        }

        if (record.Status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended
            && await (stateRead ?? history.ReadStateAsync(instanceId, cancellation)).ConfigureAwait(false) is { } current)
        {
            record = record with
            {
                CustomStatus = current.CustomStatus,
                LastUpdatedTime = current.LastUpdatedTime > record.LastUpdatedTime ? current.LastUpdatedTime : record.LastUpdatedTime,
            };
        }

        return ToMetadata(record, getInputsAndOutputs);
    }

    public override async Task<IList<CoreHistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        InstanceIds.Validate(instanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);
        var snapshot = await history.LoadAsync(instanceId, cancellation).ConfigureAwait(false);
        return snapshot is null ? [] : [.. snapshot.Events.Select(e => HistoryEventMapper.ToCore(instanceId, e))];
    }

    /// <remarks>A query reads the Instances rows alone: a running instance's custom status there is the one it had at its last status change.</remarks>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var query = filter ?? new OrchestrationQuery();
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 1000);
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            await account.EnsureCreatedAsync().ConfigureAwait(false);
            var (records, token) = await instances.QueryAsync(FilterOf(query), pageSize ?? query.PageSize, continuation ?? query.ContinuationToken, cancellation).ConfigureAwait(false);
            return new Page<OrchestrationMetadata>([.. records.Select(r => ToMetadata(r, query.FetchInputsAndOutputs))], token);
        });
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var found = await GetInstancesAsync(instanceId, cancellation: cancellation).ConfigureAwait(false);
        if (found is null || !found.IsCompleted)
        {
            return new PurgeResult(0);
        }

        await history.DeleteAsync(instanceId).ConfigureAwait(false);
        await instances.DeleteAsync(instanceId).ConfigureAwait(false);
        await payloads.DeleteAllAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(1);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OrchestrationAlreadyExistsException AlreadyExists(string instanceId, OrchestrationRuntimeStatus status) =>
        new($"An orchestration with instance id '{instanceId}' already exists with status {status}.");

    private async Task SendAsync(TaskMessage message)
    {
        InstanceIds.Validate(message.InstanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);
        await queues.SendControlAsync(message).ConfigureAwait(false);
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        var interval = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            // Ask for the next change before reading, so that a change in between is not missed.
            var change = notifier.NextChangeAsync(instanceId);
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
            if (metadata is not null && done(metadata))
            {
                return metadata;
            }

            await Task.WhenAny(change, Task.Delay(interval, cancellation)).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            interval = interval * 2 > MaxPollInterval ? MaxPollInterval : interval * 2;
        }
    }

    private static string? FilterOf(OrchestrationQuery query)
    {
        if (query.TaskHubNames?.Any() == true)
        {
            throw new NotSupportedException("Querying other task hubs is not supported: a client reads the hub it is configured for.");
        }

        var parts = new List<string>();
        if (query.Statuses?.ToList() is { Count: > 0 } statuses)
        {
            parts.Add("(" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")");
        }

        if (query.CreatedFrom is { } from)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime ge {from}"));
        }

        if (query.CreatedTo is { } to)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTime le {to}"));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            // Instance ids are the partition keys: a prefix is a key range.
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey ge {query.InstanceIdPrefix} and PartitionKey lt {query.InstanceIdPrefix + char.MaxValue}"));
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    private OrchestrationMetadata ToMetadata(string instanceId, InstanceStateRow state, DateTime created) => new(state.Name, instanceId)
    {
        DataConverter = _converter,
        RuntimeStatus = state.Status,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedCustomStatus = state.CustomStatus,
    };

    private OrchestrationMetadata ToMetadata(InstanceRecord record, bool withPayloads) => new(record.Name, record.InstanceId)
    {
        DataConverter = _converter,
        RuntimeStatus = record.Status,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(record.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(record.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedInput = withPayloads ? record.Input : null,
        SerializedOutput = withPayloads ? record.Output : null,
        SerializedCustomStatus = record.CustomStatus,
        FailureDetails = record.FailureDetails,
    };
}
