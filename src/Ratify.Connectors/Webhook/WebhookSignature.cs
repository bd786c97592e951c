using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ratify.Connectors.Webhook;

/// <summary>The <c>X-Ratify-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.</summary>
public static class WebhookSignature
{
    /// <summary>The name of the header that carries the signature.</summary>
    public const string HeaderName = "X-Ratify-Signature";

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="unixSeconds"/> with <paramref name="secret"/>.</summary>
    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
