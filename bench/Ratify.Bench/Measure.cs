using System.Diagnostics;

namespace Ratify.Bench;

/// <summary>Wall-clock timing on the monotonic high-resolution clock.</summary>
internal static class Measure
{
    public static long Now() => Stopwatch.GetTimestamp();

    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public static double MillisecondsBetween(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

    /// <summary>The time <paramref name="action"/> takes, in milliseconds.</summary>
    public static async Task<double> MillisecondsAsync(Func<Task> action)
    {
        var start = Now();
        await action();
        return MillisecondsSince(start);
    }
}
