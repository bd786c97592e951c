namespace Ratify.Durable.Storage;

/// <summary>Another writer committed to the instance first; the episode must be redone from fresh state.</summary>
internal sealed class HistoryConflictException(string instanceId, Exception inner)
    : Exception($"The history of '{instanceId}' was changed by another writer.", inner);
