using Ratify.Durable.History;

namespace Ratify.Durable.Client;

/// <summary>What a client sees of an instance: status, timestamps, and (when asked for) input, output and history.</summary>
public sealed record OrchestrationMetadata(string Name, string InstanceId)
{
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>The history, when it was asked for.</summary>
    public IReadOnlyList<HistoryEvent>? History { get; init; }

    public bool IsRunning => RuntimeStatus == OrchestrationRuntimeStatus.Running;

    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadInputAs<T>() => DataConverter.Deserialize<T>(SerializedInput);

    public T? ReadOutputAs<T>() => DataConverter.Deserialize<T>(SerializedOutput);

    public T? ReadCustomStatusAs<T>() => DataConverter.Deserialize<T>(SerializedCustomStatus);
}
