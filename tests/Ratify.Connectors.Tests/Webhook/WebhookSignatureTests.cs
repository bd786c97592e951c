using System.Text;
using Ratify.Connectors.Webhook;

namespace Ratify.Connectors.Tests.Webhook;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void Create_KnownInput_MatchesTheReferenceValue()
    {
        // Computed outside .NET: hex HMAC-SHA256 keyed "secret" of the text 1700000000.{"a":1}
        var header = WebhookSignature.Create("secret", 1700000000, Encoding.UTF8.GetBytes("""{"a":1}"""));

        Assert.Equal("t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", header);
    }

    [Fact]
    public void Create_DifferentBody_ChangesTheSignature() =>
        Assert.NotEqual(
            WebhookSignature.Create("s3cret", 1, "a"u8),
            WebhookSignature.Create("s3cret", 1, "b"u8));

    [Fact]
    public void Verify_TheReferenceHeaderWithinTheWindow_IsTrue()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");
        var header = "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";

        Assert.True(WebhookSignature.Verify("secret", header, body, DateTimeOffset.FromUnixTimeSeconds(1700000000 + 300)));
        Assert.True(WebhookSignature.Verify("secret", header.ToUpperInvariant().Replace("T=", "t=", StringComparison.Ordinal).Replace("V1=", "v1=", StringComparison.Ordinal), body,
            DateTimeOffset.FromUnixTimeSeconds(1700000000 - 300)));
    }

    [Theory]
    [InlineData("secret", "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", 301)]
    [InlineData("secret", "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411687", 0)]
    [InlineData("other", "t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", 0)]
    [InlineData("secret", "t=1700000001,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", 0)]
    [InlineData("secret", "v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", 0)]
    [InlineData("secret", "t=1700000000", 0)]
    [InlineData("secret", "t=-1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686", 0)]
    [InlineData("secret", "", 0)]
    public void Verify_WrongSecretSignatureTimeOrShape_IsFalse(string secret, string header, int secondsLater) =>
        Assert.False(WebhookSignature.Verify(secret, header, Encoding.UTF8.GetBytes("""{"a":1}"""), DateTimeOffset.FromUnixTimeSeconds(1700000000 + secondsLater)));

    [Fact]
    public void Verify_OneOfSeveralSignaturesMatches_IsTrue()
    {
        var body = "x"u8.ToArray();
        var good = WebhookSignature.Create("new", 10, body);
        var header = "t=10,v1=" + new string('0', 64) + "," + good.Split(',')[1];

        Assert.True(WebhookSignature.Verify("new", header, body, DateTimeOffset.FromUnixTimeSeconds(10)));
    }
}
