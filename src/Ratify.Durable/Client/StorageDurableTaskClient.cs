using Azure.Data.Tables;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;

namespace Ratify.Durable.Client;

/// <summary>The client of the Azure Storage backend: writes the Instances table and sends control messages.</summary>
internal sealed class StorageDurableTaskClient(
    StorageAccount account,
    InstanceStore instances,
    HistoryStore history,
    PayloadStore payloads,
    MessageQueues queues,
    InstanceNotifier notifier) : DurableTaskClient
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(1);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIds.Validate(instanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);

        var now = DateTime.UtcNow;
        var executionId = Guid.NewGuid().ToString("N");
        var serializedInput = DataConverter.Serialize(input);
        var record = new InstanceRecord(instanceId, orchestratorName, executionId, OrchestrationRuntimeStatus.Pending, now, now, null,
            serializedInput, null, null, null, queues.PartitionOf(instanceId));

        // Insert first: a new id costs one write; only an existing id is read, to see whether it may restart.
        if (!await instances.TryCreateAsync(record, replacing: null).ConfigureAwait(false))
        {
            var existing = await instances.GetAsync(instanceId, cancellation).ConfigureAwait(false);
            if (existing is not { Record.Status: var status } || !status.IsTerminal())
            {
                throw new OrchestrationAlreadyExistsException(instanceId, existing?.Record.Status ?? OrchestrationRuntimeStatus.Pending);
            }

            // The new execution continues the history's revisions: a late write of the old one must not replace this row.
            if (!await instances.TryCreateAsync(record with { Revision = existing.Value.Record.Revision }, existing.Value.ETag).ConfigureAwait(false))
            {
                throw new OrchestrationAlreadyExistsException(instanceId, OrchestrationRuntimeStatus.Pending);
            }
        }

        var startAt = options?.StartAt?.UtcDateTime;
        var started = new ExecutionStartedEvent(-1, now, orchestratorName, serializedInput, executionId, startAt);
        await queues.SendControlAsync(TaskMessage.For(instanceId, executionId, started), startAt - now).ConfigureAwait(false);
        return instanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var messageId = Guid.NewGuid().ToString("N");
        var raised = new EventRaisedEvent(-1, DateTime.UtcNow, eventName, DataConverter.Serialize(eventPayload), messageId);
        return SendAsync(new TaskMessage(messageId, instanceId, null, raised));
    }

    public override Task TerminateInstanceAsync(string instanceId, object? reason = null, CancellationToken cancellation = default) =>
        SendAsync(TaskMessage.For(instanceId, null, new ExecutionTerminatedEvent(-1, DateTime.UtcNow, DataConverter.Serialize(reason))));

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(TaskMessage.For(instanceId, null, new ExecutionSuspendedEvent(-1, DateTime.UtcNow, reason)));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(TaskMessage.For(instanceId, null, new ExecutionResumedEvent(-1, DateTime.UtcNow, reason)));

    public override async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, bool getHistory = false, CancellationToken cancellation = default)
    {
        InstanceIds.Validate(instanceId);
        await account.EnsureCreatedAsync().ConfigureAwait(false);
        var found = await instances.GetAsync(instanceId, cancellation).ConfigureAwait(false);
        if (found is not { Record: var record })
        {
            return null;
        }

        var metadata = ToMetadata(record, getInputsAndOutputs);
        if (getHistory)
        {
            var snapshot = await history.LoadAsync(instanceId, cancellation).ConfigureAwait(false);
            metadata = metadata with { History = snapshot?.Events ?? [] };
        }

        return metadata;
    }

    public override async Task<OrchestrationPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 1000);
        await account.EnsureCreatedAsync().ConfigureAwait(false);
        var (records, token) = await instances.QueryAsync(FilterOf(query), query.PageSize, query.ContinuationToken, cancellation).ConfigureAwait(false);
        return new OrchestrationPage([.. records.Select(r => ToMetadata(r, query.FetchInputsAndOutputs))], token);
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellation = default)
    {
        var found = await GetInstanceAsync(instanceId, cancellation: cancellation).ConfigureAwait(false);
        if (found is null || !found.IsCompleted)
        {
            return new PurgeResult(0);
        }

        await history.DeleteAsync(instanceId).ConfigureAwait(false);
        await instances.DeleteAsync(instanceId).ConfigureAwait(false);
        await payloads.DeleteAllAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(1);
    }

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
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation: cancellation).ConfigureAwait(false);
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
        var parts = new List<string>();
        if (query.Statuses is { Count: > 0 } statuses)
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

        if (query.TaskName is { } name)
        {
            parts.Add(TableClient.CreateQueryFilter($"Name eq {name}"));
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    private static OrchestrationMetadata ToMetadata(InstanceRecord record, bool withPayloads) => new(record.Name, record.InstanceId)
    {
        RuntimeStatus = record.Status,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(record.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(record.LastUpdatedTime, DateTimeKind.Utc)),
        CompletedAt = record.CompletedTime is { } completed ? new DateTimeOffset(DateTime.SpecifyKind(completed, DateTimeKind.Utc)) : null,
        SerializedInput = withPayloads ? record.Input : null,
        SerializedOutput = withPayloads ? record.Output : null,
        SerializedCustomStatus = record.CustomStatus,
        FailureDetails = record.FailureDetails,
    };
}
