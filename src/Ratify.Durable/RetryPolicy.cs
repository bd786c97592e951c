namespace Ratify.Durable;

/// <summary>A durable retry policy: the delays between attempts are durable timers, not sleeps.</summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="maxNumberOfAttempts">Total attempts including the first (at least 1).</param>
    /// <param name="firstRetryInterval">The delay before the second attempt (positive).</param>
    /// <param name="backoffCoefficient">Each delay is the previous one times this (at least 1; default 1).</param>
    /// <param name="maxRetryInterval">The longest delay (default: unbounded).</param>
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.MaxValue;
    }

    /// <summary>Total attempts including the first.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>The delay before the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>The growth factor of the delay.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>Decides per failure whether to retry at all (default: always).</summary>
    public Func<TaskFailureDetails, bool>? Handle { get; init; }

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, nextAttempt - 2);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }
}
