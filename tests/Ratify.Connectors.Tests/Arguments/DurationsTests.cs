using System.Text.Json.Nodes;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Tests.Arguments;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("00:00:10", 10_000)]
    public void TryParse_Text_ReadsTheDuration(string text, int milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Fact]
    public void TryParse_Number_IsSeconds()
    {
        Assert.True(Durations.TryParse(JsonValue.Create(2.5), out var duration));
        Assert.Equal(TimeSpan.FromSeconds(2.5), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5s")]
    [InlineData("2d")]
    public void TryParse_NotAPositiveDuration_ReturnsFalse(string text) =>
        Assert.False(Durations.TryParse(text, out _));
}
