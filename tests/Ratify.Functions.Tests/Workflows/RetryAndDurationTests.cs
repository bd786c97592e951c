using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class RetryAndDurationTests
{
    [Theory]
    [InlineData("PT30S", 30)]
    [InlineData("PT5M", 300)]
    [InlineData("P1DT1H", 90_000)]
    [InlineData("PT0.5S", 0.5)]
    public void TryParse_DayTimeDuration_Parses(string text, double seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30s")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("PT0S")]
    [InlineData("-PT5S")]
    [InlineData("PT")]
    public void TryParse_BadOrAmbiguousDuration_Fails(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _));
    }

    [Fact]
    public void GetDelay_Exponential_GrowsAndIsCapped()
    {
        var retry = new RetryDefinition { MaxAttempts = 5, InitialInterval = "PT2S", MaxInterval = "PT5S" };

        Assert.Equal([2, 4, 5, 5], Enumerable.Range(1, 4).Select(a => retry.GetDelay(a).TotalSeconds));
    }

    [Fact]
    public void GetDelay_Fixed_StaysTheSame()
    {
        var retry = new RetryDefinition { MaxAttempts = 3, Backoff = RetryBackoff.Fixed, InitialInterval = "PT3S", BackoffCoefficient = 5 };

        Assert.Equal([3, 3, 3], Enumerable.Range(1, 3).Select(a => retry.GetDelay(a).TotalSeconds));
    }

    [Fact]
    public void GetDelay_Defaults_StartAtOneSecondAndDouble()
    {
        var retry = new RetryDefinition { MaxAttempts = 4 };

        Assert.Equal([1, 2, 4], Enumerable.Range(1, 3).Select(a => retry.GetDelay(a).TotalSeconds));
    }
}
