namespace Ratify.Durable.Tests;

/// <summary>The per-test deadline: every wait in a test is bounded by it.</summary>
internal static class TestTimeout
{
    public static CancellationToken Token(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
