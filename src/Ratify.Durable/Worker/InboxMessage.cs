using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>A message waiting for its instance's next episode; <paramref name="Receipt"/> is null for one handed over in memory.</summary>
internal sealed record InboxMessage(TaskMessage Message, ReceivedMessage? Receipt);
