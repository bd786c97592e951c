namespace Ratify.Functions.Orchestration;

/// <summary>
/// Fences one step attempt: a token that fires at the attempt's deadline (the instant the orchestrator's timeout timer
/// fires), when its run is cancelled or when the host stops, and checks that tell a result that came too late to count.
/// </summary>
internal sealed class AttemptFence : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _runCancelled;
    private readonly DateTimeOffset? _at;
    private readonly TimeProvider _time;

    public AttemptFence(DateTimeOffset? deadline, CancellationToken runCancelled, CancellationToken hostStopping, TimeProvider time)
    {
        _at = deadline;
        _time = time;
        _runCancelled = runCancelled;
        _deadline = deadline is { } at
            ? new CancellationTokenSource(Max(at - time.GetUtcNow(), TimeSpan.Zero), time)
            : new CancellationTokenSource();
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, runCancelled, hostStopping);
    }

    /// <summary>Passed to the connector: it fires on the deadline, on run cancel or on host shutdown.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True once the deadline has passed (or its token fired, timers may run a little early): a result now is late.</summary>
    public bool IsLate => _deadline.IsCancellationRequested || (_at is { } at && _time.GetUtcNow() >= at);

    /// <summary>True once the run was cancelled: a result now never becomes the output.</summary>
    public bool IsRunCancelled => _runCancelled.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _deadline.Dispose();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
