namespace Ratify.Functions.Workflows;

/// <summary>A step's retry policy; attempts include the first call, intervals are ISO 8601 durations.</summary>
public sealed record RetryDefinition
{
    /// <summary>Default first delay when <see cref="InitialInterval"/> is absent: 1 second.</summary>
    public static readonly TimeSpan DefaultInitialInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default growth factor for exponential backoff: 2.</summary>
    public const double DefaultBackoffCoefficient = 2;

    /// <summary>Total attempts, the first included (1 means no retry).</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>How delays grow; exponential when absent.</summary>
    public RetryBackoff? Backoff { get; init; }

    /// <summary>Delay before the second attempt; <c>PT1S</c> when absent.</summary>
    public string? InitialInterval { get; init; }

    /// <summary>Cap on any delay; none when absent.</summary>
    public string? MaxInterval { get; init; }

    /// <summary>Growth factor for exponential backoff; 2 when absent.</summary>
    public double? BackoffCoefficient { get; init; }

    /// <summary>The delay to wait after failed attempt <paramref name="attempt"/> (1-based) before the next one.</summary>
    public TimeSpan GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var initial = InitialInterval is null ? DefaultInitialInterval : IsoDuration.Parse(InitialInterval);
        var delay = Backoff == RetryBackoff.Fixed
            ? initial
            : TimeSpan.FromTicks((long)Math.Min(initial.Ticks * Math.Pow(BackoffCoefficient ?? DefaultBackoffCoefficient, attempt - 1), TimeSpan.MaxValue.Ticks / 2));
        return MaxInterval is null ? delay : TimeSpan.FromTicks(Math.Min(delay.Ticks, IsoDuration.Parse(MaxInterval).Ticks));
    }
}
