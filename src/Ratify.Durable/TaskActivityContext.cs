namespace Ratify.Durable;

/// <summary>What an activity knows about the call that started it.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="InstanceId">The orchestration instance that scheduled it.</param>
/// <param name="TaskId">The sequence id of the scheduled task in that instance's history.</param>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskId);
