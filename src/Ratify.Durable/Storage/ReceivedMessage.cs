using Azure.Storage.Queues;

namespace Ratify.Durable.Storage;

/// <summary>A message taken from a queue, with what is needed to delete, hide again or set it aside.</summary>
internal sealed record ReceivedMessage(
    TaskMessage Message,
    QueueClient Queue,
    string QueueMessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertedOn);
