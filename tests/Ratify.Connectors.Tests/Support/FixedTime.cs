namespace Ratify.Connectors.Tests.Support;

/// <summary>A clock that always reads the same instant.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
