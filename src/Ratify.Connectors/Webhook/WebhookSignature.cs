using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ratify.Connectors.Webhook;

/// <summary>The <c>X-Ratify-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.</summary>
public static class WebhookSignature
{
    /// <summary>The name of the header that carries the signature.</summary>
    public const string HeaderName = "X-Ratify-Signature";

    /// <summary>How far a signature's timestamp may be from the receiver's clock, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const int MacHexLength = 64;

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="unixSeconds"/> with <paramref name="secret"/>.</summary>
    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";
    }

    /// <summary>Reads <c>t</c> and the <c>v1</c> values of a header (a sender rotating secrets may send several <c>v1</c>); false when malformed.</summary>
    public static bool TryParse(string? header, out long unixSeconds, out IReadOnlyList<string> signatures)
    {
        unixSeconds = 0;
        signatures = [];
        if (string.IsNullOrEmpty(header) || header.Length > 1024)
        {
            return false;
        }

        string? timestamp = null;
        var found = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var (name, value) = (part[..equals], part[(equals + 1)..]);
            if (name == "t")
            {
                timestamp = value;
            }
            else if (name == "v1" && value.Length == MacHexLength && value.All(char.IsAsciiHexDigit))
            {
                found.Add(value.ToLowerInvariant());
            }
        }

        if (timestamp is null || found.Count == 0
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
        {
            return false;
        }

        signatures = found;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> at a time within
    /// <see cref="Tolerance"/> of <paramref name="now"/>; compared in constant time.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!TryParse(header, out var unixSeconds, out var signatures)
            || Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Mac(secret, unixSeconds.ToString(CultureInfo.InvariantCulture), body);
        var matched = false;
        foreach (var signature in signatures)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(signature));
        }

        return matched;
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
