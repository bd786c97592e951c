using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ratify.Functions.Security;

/// <summary>
/// Claims sealed with HMAC-SHA256 in base64url, <c>{prefix}{keyId}.{claims}.{signature}</c>: the one format of approval link
/// tokens and stream tickets. Each user keeps its own keys, claims and expiry rules; this only seals and opens.
/// </summary>
internal static class SignedClaims
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><paramref name="claims"/> sealed under <paramref name="keyId"/>'s <paramref name="key"/>.</summary>
    public static string Seal<T>(string prefix, string keyId, byte[] key, T claims)
    {
        var body = prefix + keyId + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        return body + "." + Base64Url.EncodeToString(Mac(key, body));
    }

    /// <summary>
    /// The claims of a token sealed with one of <paramref name="keys"/>; null for anything else (too long, another prefix,
    /// malformed, unknown key, wrong signature, unreadable claims). The signature is compared in constant time.
    /// </summary>
    public static T? Open<T>(string? token, string prefix, int maxLength, IReadOnlyDictionary<string, byte[]> keys)
        where T : class
    {
        if (string.IsNullOrEmpty(token) || token.Length > maxLength || !token.StartsWith(prefix, StringComparison.Ordinal)
            || token[prefix.Length..].Split('.') is not [var keyId, var payload, var signature])
        {
            return null;
        }

        if (!keys.TryGetValue(keyId, out var key) || !Base64Url.IsValid(signature) || !Base64Url.IsValid(payload))
        {
            return null;
        }

        var expected = Mac(key, prefix + keyId + "." + payload);
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(signature)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(payload), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Mac(byte[] key, string body) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body));
}
