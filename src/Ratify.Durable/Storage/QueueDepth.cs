namespace Ratify.Durable.Storage;

/// <summary>How many messages one of the task hub's queues holds, as the queue service approximates it.</summary>
public sealed record QueueDepth(string Queue, int ApproximateMessageCount);
