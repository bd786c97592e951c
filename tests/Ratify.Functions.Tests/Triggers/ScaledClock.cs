using System.Diagnostics;

namespace Ratify.Functions.Tests.Triggers;

/// <summary>A clock that stands at <paramref name="start"/> until <see cref="Begin"/>, then runs <paramref name="speed"/> times faster than real time.</summary>
public sealed class ScaledClock(DateTimeOffset start, double speed) : TimeProvider
{
    private readonly Stopwatch _elapsed = new();

    public void Begin() => _elapsed.Start();

    public override DateTimeOffset GetUtcNow() => start + (_elapsed.Elapsed * speed);
}
