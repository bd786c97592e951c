using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Security;

namespace Ratify.Functions.Approvals;

/// <summary>
/// Issues and verifies the tokens of approval links: <c>{keyId}.{claims}.{HMAC-SHA256}</c>, base64url, bound to one approval,
/// one approver and one link generation, with an expiry. Verification is constant-time and accepts every configured key.
/// </summary>
public sealed partial class ApprovalLinkSigner
{
    private const int MaxTokenLength = 2048;
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
        return SignedClaims.Seal(prefix: "", _signingKeyId, _keys[_signingKeyId], claims);
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else (malformed, unknown key, wrong signature, expired).</summary>
    public ApprovalLinkClaims? Verify(string? token)
    {
        if (SignedClaims.Open<TokenClaims>(token, prefix: "", MaxTokenLength, _keys) is not { A: not null, T: not null, P: not null, N: not null } claims)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expiresAt <= _time.GetUtcNow() ? null : new ApprovalLinkClaims(claims.T, claims.A, claims.P, claims.G, expiresAt, "tok_" + claims.N);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
        Message = "No approval signing key is configured (Ratify:Approvals:SigningKeys): a random key was made for this host; approval links stop working when it stops and are not accepted by other hosts")]
    private static partial void LogDevelopmentKey(ILogger logger);

    // Short names keep links short.
    private sealed record TokenClaims(string T, string A, string P, int G, long E, string N);
}
