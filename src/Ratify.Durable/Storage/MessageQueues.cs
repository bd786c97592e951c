using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Ratify.Durable.History;

namespace Ratify.Durable.Storage;

/// <summary>The control queues (one per partition) and the work-item queue: sending, receiving, and setting aside poison.</summary>
/// <remarks>
/// A message the runtime cannot read (not base64, not UTF-8, not JSON, an unknown or incomplete event, an event of the other
/// queue) is moved to the poison queue with a log line the first time it is received, and never holds up the readable
/// messages received with it.
/// </remarks>
internal sealed partial class MessageQueues
{
    private const string BlobReferencePrefix = "blob:";

    // Reading is stricter than writing: a foreign message that happens to parse must not reach a dispatcher half-empty.
    private static readonly JsonSerializerOptions ReadOptions = new(StorageJson.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly StorageAccount _account;
    private readonly PayloadStore _payloads;
    private readonly DurableTaskOptions _options;
    private readonly ILogger<MessageQueues> _logger;

    public MessageQueues(StorageAccount account, PayloadStore payloads, DurableTaskOptions options, ILogger<MessageQueues> logger)
    {
        _account = account;
        _payloads = payloads;
        _options = options;
        _logger = logger;

        // Bodies the storage client cannot even decode never reach ReceiveAsync: the client hands them over here.
        account.UndecodableMessage = SetAsideUndecodableAsync;
    }

    // The queue service's longest visibility delay is 7 days; longer timers are chained.
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6.9);

    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);

    /// <summary>Raised after a control message was sent: (partition, delay). Lets the owner of the partition wake at once.</summary>
    public event Action<int, TimeSpan>? ControlMessageSent;

    public int PartitionOf(string instanceId) => PartitionHash.PartitionOf(instanceId, _options.StorageProvider.PartitionCount);

    public async Task SendControlAsync(TaskMessage message, TimeSpan? delay = null)
    {
        var partition = PartitionOf(message.InstanceId);
        var visibility = delay is { } d && d > TimeSpan.Zero ? (d > MaxDelay ? MaxDelay : d) : TimeSpan.Zero;
        await SendAsync(_account.ControlQueues[partition], message, visibility).ConfigureAwait(false);
        ControlMessageSent?.Invoke(partition, visibility);
    }

    public Task SendWorkItemAsync(TaskMessage message) => SendAsync(_account.WorkItemQueue, message, TimeSpan.Zero);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(QueueClient queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        var received = new List<ReceivedMessage>(response.Value.Length);
        foreach (var raw in response.Value)
        {
            TaskMessage message;
            try
            {
                message = Checked(await DecodeAsync(raw.Body).ConfigureAwait(false), queue);
            }
            catch (Exception e) when (IsTransient(e))
            {
                // A payload blob that cannot be read right now: the message comes back after its visibility timeout.
                LogPayloadUnavailable(_logger, raw.MessageId, queue.Name, e);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await SetAsideAsync(queue, raw.MessageId, raw.PopReceipt, raw.Body, e).ConfigureAwait(false);
                continue;
            }

            received.Add(new ReceivedMessage(message, queue, raw.MessageId, raw.PopReceipt, raw.DequeueCount, raw.InsertedOn ?? DateTimeOffset.UtcNow));
        }

        return received;
    }

    public Task DeleteAsync(ReceivedMessage message) => DeleteAsync(message.Queue, message.QueueMessageId, message.PopReceipt);

    /// <summary>Makes the message visible again after <paramref name="delay"/>, for another try.</summary>
    public async Task AbandonAsync(ReceivedMessage message, TimeSpan delay)
    {
        try
        {
            await message.Queue.UpdateMessageAsync(message.QueueMessageId, message.PopReceipt, visibilityTimeout: delay).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // The message was received again elsewhere or deleted; nothing to give back.
        }
    }

    /// <summary>Keeps a message hidden for another <paramref name="visibility"/>; returns the new pop receipt.</summary>
    public async Task<string?> RenewAsync(ReceivedMessage message, string popReceipt, TimeSpan visibility)
    {
        try
        {
            var receipt = await message.Queue.UpdateMessageAsync(message.QueueMessageId, popReceipt, visibilityTimeout: visibility).ConfigureAwait(false);
            return receipt.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>Moves a message that keeps failing to the poison queue, with the reason.</summary>
    public async Task MoveToPoisonAsync(ReceivedMessage message, string reason)
    {
        var record = JsonSerializer.Serialize(new { reason, queue = message.Queue.Name, message.DequeueCount, message.Message }, StorageJson.Options);
        await _account.PoisonQueue.SendMessageAsync(BinaryData.FromString(record), TimeSpan.Zero, NeverExpire, CancellationToken.None).ConfigureAwait(false);
        await DeleteAsync(message).ConfigureAwait(false);
    }

    private async Task SendAsync(QueueClient queue, TaskMessage message, TimeSpan visibility)
    {
        var body = BinaryData.FromObjectAsJson(message, StorageJson.Options);
        if (body.ToMemory().Length > LargeValues.MaxInlineMessageBytes)
        {
            var name = await _payloads.UploadAsync(message.InstanceId, body).ConfigureAwait(false);
            body = BinaryData.FromString(BlobReferencePrefix + name);
        }

        await queue.SendMessageAsync(body, visibility, NeverExpire).ConfigureAwait(false);
    }

    private async Task<TaskMessage> DecodeAsync(BinaryData body)
    {
        var text = body.ToString();
        if (text.StartsWith(BlobReferencePrefix, StringComparison.Ordinal))
        {
            body = await _payloads.DownloadAsync(text[BlobReferencePrefix.Length..]).ConfigureAwait(false);
        }

        return body.ToObjectFromJson<TaskMessage>(ReadOptions) ?? throw new JsonException("The message body is null.");
    }

    /// <summary>The message, if it is one that <paramref name="queue"/> carries: an activity to run, or an event for an instance.</summary>
    private TaskMessage Checked(TaskMessage message, QueueClient queue)
    {
        if (string.IsNullOrEmpty(message.Id))
        {
            throw new JsonException("The message has no id.");
        }

        Client.InstanceIds.Validate(message.InstanceId);
        var isWorkItem = queue.Name == _account.WorkItemQueue.Name;
        var fits = message.Event switch
        {
            TaskScheduledEvent => isWorkItem,
            ExecutionStartedEvent or EventRaisedEvent or ExecutionTerminatedEvent or ExecutionSuspendedEvent or ExecutionResumedEvent
                or TaskCompletedEvent or TaskFailedEvent or TimerFiredEvent => !isWorkItem,
            _ => false,
        };
        return fits ? message : throw new JsonException($"A {message.Event.GetType().Name} message does not belong on queue {queue.Name}.");
    }

    /// <summary>Moves a message that cannot be read to the poison queue as it is, and logs it; never throws.</summary>
    private async Task SetAsideAsync(QueueClient queue, string messageId, string popReceipt, BinaryData body, Exception reason)
    {
        try
        {
            LogUnreadable(_logger, messageId, queue.Name, reason);
            await _account.PoisonQueue.SendMessageAsync(body, TimeSpan.Zero, NeverExpire, CancellationToken.None).ConfigureAwait(false);
            await DeleteAsync(queue, messageId, popReceipt).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // It comes back after its visibility timeout and is set aside then; the readable messages go on meanwhile.
            LogSetAsideFailed(_logger, messageId, queue.Name, e);
        }
    }

    private Task SetAsideUndecodableAsync(QueueMessageDecodingFailedEventArgs args) =>
        args.ReceivedMessage is { } raw
            ? SetAsideAsync(args.Queue, raw.MessageId, raw.PopReceipt, raw.Body, new FormatException("The message body is not base64, as every message of the runtime is."))
            : Task.CompletedTask;

    private static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or >= 500,
        AggregateException all => all.InnerExceptions.All(IsTransient),
        TimeoutException or HttpRequestException or IOException => true,
        _ => false,
    };

    private static async Task DeleteAsync(QueueClient queue, string messageId, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // Deleted already, or received again by another host; redelivery is recognised as a duplicate.
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Message {MessageId} in queue {Queue} cannot be read and is moved to the poison queue")]
    private static partial void LogUnreadable(ILogger logger, string messageId, string queue, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Message {MessageId} in queue {Queue} could not be moved to the poison queue yet; it is tried again when it reappears")]
    private static partial void LogSetAsideFailed(ILogger logger, string messageId, string queue, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The payload of message {MessageId} in queue {Queue} cannot be read now; the message is received again later")]
    private static partial void LogPayloadUnavailable(ILogger logger, string messageId, string queue, Exception exception);
}
