using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ratify.Functions.Security;

/// <summary>The format of API key secrets: <c>sk_ratify_</c> followed by URL-safe randomness; only their SHA-256 is ever stored.</summary>
public static class ApiKeySecret
{
    /// <summary>The prefix every secret starts with.</summary>
    public const string Prefix = "sk_ratify_";

    /// <summary>The fewest characters of randomness accepted after the prefix.</summary>
    public const int MinRandomLength = 40;

    /// <summary>The most characters accepted after the prefix (bounds the work done on a hostile header).</summary>
    public const int MaxRandomLength = 200;

    // Characters after the prefix shown in listings: enough to tell keys apart, far too few to guess the rest.
    private const int DisplayLength = 4;

    /// <summary>A new secret: the prefix and 32 random bytes as unpadded base64url (43 characters).</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="value"/> has the shape of a secret (prefix, then 40 to 200 URL-safe characters).</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var random = value.AsSpan(Prefix.Length);
        if (random.Length is < MinRandomLength or > MaxRandomLength)
        {
            return false;
        }

        foreach (var c in random)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lowercase hex SHA-256 of the secret: the only form in which a key is stored.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>The part shown in listings, e.g. <c>sk_ratify_ab12…</c>.</summary>
    public static string DisplayPrefix(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret[..Math.Min(secret.Length, Prefix.Length + DisplayLength)] + "…";
    }
}
