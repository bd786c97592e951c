using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Ratify.Durable.Storage;

/// <summary>The control queues (one per partition) and the work-item queue: sending, receiving, and setting aside poison.</summary>
internal sealed partial class MessageQueues(StorageAccount account, PayloadStore payloads, DurableTaskOptions options, ILogger<MessageQueues> logger)
{
    private const string BlobReferencePrefix = "blob:";

    // The queue service's longest visibility delay is 7 days; longer timers are chained.
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6.9);

    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);

    /// <summary>Raised after a control message was sent: (partition, delay). Lets the owner of the partition wake at once.</summary>
    public event Action<int, TimeSpan>? ControlMessageSent;

    public int PartitionOf(string instanceId) => PartitionHash.PartitionOf(instanceId, options.StorageProvider.PartitionCount);

    public async Task SendControlAsync(TaskMessage message, TimeSpan? delay = null)
    {
        var partition = PartitionOf(message.InstanceId);
        var visibility = delay is { } d && d > TimeSpan.Zero ? (d > MaxDelay ? MaxDelay : d) : TimeSpan.Zero;
        await SendAsync(account.ControlQueues[partition], message, visibility).ConfigureAwait(false);
        ControlMessageSent?.Invoke(partition, visibility);
    }

    public Task SendWorkItemAsync(TaskMessage message) => SendAsync(account.WorkItemQueue, message, TimeSpan.Zero);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(QueueClient queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var response = await queue.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        var received = new List<ReceivedMessage>(response.Value.Length);
        foreach (var raw in response.Value)
        {
            try
            {
                var message = await DecodeAsync(raw.Body).ConfigureAwait(false);
                received.Add(new ReceivedMessage(message, queue, raw.MessageId, raw.PopReceipt, raw.DequeueCount, raw.InsertedOn ?? DateTimeOffset.UtcNow));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or RequestFailedException or ArgumentException)
            {
                // A message nobody can read would come back forever: set it aside as it is.
                LogUnreadable(logger, raw.MessageId, queue.Name, e);
                await account.PoisonQueue.SendMessageAsync(raw.Body, TimeSpan.Zero, NeverExpire, CancellationToken.None).ConfigureAwait(false);
                await DeleteAsync(queue, raw.MessageId, raw.PopReceipt).ConfigureAwait(false);
            }
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
        await account.PoisonQueue.SendMessageAsync(BinaryData.FromString(record), TimeSpan.Zero, NeverExpire, CancellationToken.None).ConfigureAwait(false);
        await DeleteAsync(message).ConfigureAwait(false);
    }

    private async Task SendAsync(QueueClient queue, TaskMessage message, TimeSpan visibility)
    {
        var body = BinaryData.FromObjectAsJson(message, StorageJson.Options);
        if (body.ToMemory().Length > LargeValues.MaxInlineMessageBytes)
        {
            var name = await payloads.UploadAsync(message.InstanceId, body).ConfigureAwait(false);
            body = BinaryData.FromString(BlobReferencePrefix + name);
        }

        await queue.SendMessageAsync(body, visibility, NeverExpire).ConfigureAwait(false);
    }

    private async Task<TaskMessage> DecodeAsync(BinaryData body)
    {
        var text = body.ToString();
        if (text.StartsWith(BlobReferencePrefix, StringComparison.Ordinal))
        {
            body = await payloads.DownloadAsync(text[BlobReferencePrefix.Length..]).ConfigureAwait(false);
        }

        return body.ToObjectFromJson<TaskMessage>(StorageJson.Options) ?? throw new JsonException("The message body is null.");
    }

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

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Message {MessageId} in queue {Queue} cannot be read and was moved to the poison queue")]
    private static partial void LogUnreadable(ILogger logger, string messageId, string queue, Exception exception);
}
