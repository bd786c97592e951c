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
}
