using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Approvals;

/// <summary>
/// Issues and verifies the tokens of approval links: <c>{keyId}.{claims}.{HMAC-SHA256}</c>, base64url, bound to one approval,
/// one approver and one link generation, with an expiry. Verification is constant-time and accepts every configured key.
/// </summary>
public sealed partial class ApprovalLinkSigner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string _signingKeyId;
    private readonly TimeProvider _time;

    public ApprovalLinkSigner(IOptions<ApprovalOptions> options, TimeProvider time, ILogger<ApprovalLinkSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var configured = options.Value;
        foreach (var (id, secret) in configured.SigningKeys)
        {
            _keys[id] = Convert.FromBase64String(secret);
        }

        if (_keys.Count == 0)
        {
            LogDevelopmentKey(logger);
            _keys["dev"] = RandomNumberGenerator.GetBytes(32);
        }

        _signingKeyId = configured.SigningKeyId ?? _keys.Keys.Single();
    }

    /// <summary>A token for <paramref name="approver"/> on the approval, valid until <paramref name="expiresAt"/>.</summary>
    public string Issue(string tenantId, string approvalId, string approver, int generation, DateTimeOffset expiresAt)
    {
        var claims = new TokenClaims(tenantId, approvalId, approver, generation, expiresAt.ToUnixTimeSeconds(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var body = _signingKeyId + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        return body + "." + Base64Url.EncodeToString(Sign(_keys[_signingKeyId], body));
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else (malformed, unknown key, wrong signature, expired).</summary>
    public ApprovalLinkClaims? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || token.Split('.') is not [var keyId, var payload, var signature])
        {
            return null;
        }

        if (!_keys.TryGetValue(keyId, out var key) || !Base64Url.IsValid(signature) || !Base64Url.IsValid(payload))
        {
            return null;
        }

        var expected = Sign(key, keyId + "." + payload);
        if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(signature)))
        {
            return null;
        }

        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize<TokenClaims>(Base64Url.DecodeFromChars(payload), Json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (claims is null || claims.A is null || claims.T is null || claims.P is null || claims.N is null)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expiresAt <= _time.GetUtcNow() ? null : new ApprovalLinkClaims(claims.T, claims.A, claims.P, claims.G, expiresAt, "tok_" + claims.N);
    }

    private static byte[] Sign(byte[] key, string body) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body));

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
        Message = "No approval signing key is configured (Ratify:Approvals:SigningKeys): a random key was made for this host; approval links stop working when it stops and are not accepted by other hosts")]
    private static partial void LogDevelopmentKey(ILogger logger);

    // Short names keep links short.
    private sealed record TokenClaims(string T, string A, string P, int G, long E, string N);
}
