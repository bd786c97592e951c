using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Security;
using Ratify.Functions.Approvals;

namespace Ratify.Functions.Events;

/// <summary>
/// Issues and verifies stream tickets, <c>st1.{keyId}.{claims}.{HMAC-SHA256}</c> in base64url: short-lived credentials a browser
/// puts in a stream URL, because EventSource cannot send an Authorization header.
/// </summary>
/// <remarks>
/// The signing keys are derived (HKDF) from the approval signing keys under a label of their own, so one configured secret serves
/// both and a ticket can never pass as an approval link or the other way round.
/// </remarks>
public sealed partial class StreamTicketSigner
{
    /// <summary>How long a ticket is accepted after it is issued.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private const string Prefix = "st1.";
    private const int MaxTicketLength = 4096;
    private static readonly byte[] Label = "ratify stream ticket v1"u8.ToArray();
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string _signingKeyId;
    private readonly TimeProvider _time;

    public StreamTicketSigner(IOptions<ApprovalOptions> options, TimeProvider time, ILogger<StreamTicketSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        foreach (var (id, secret) in options.Value.SigningKeys)
        {
            _keys[id] = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(secret), 32, salt: null, info: Label);
        }

        if (_keys.Count == 0)
        {
            LogDevelopmentKey(logger);
            _keys["dev"] = RandomNumberGenerator.GetBytes(32);
        }

        _signingKeyId = options.Value.SigningKeyId ?? _keys.Keys.Single();
    }

    /// <summary>A ticket for the key's streams (of <paramref name="runId"/> only, when given), valid for <see cref="Lifetime"/>.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string tenantId, string keyId, IEnumerable<string> scopes, string? runId)
    {
        var expiresAt = _time.GetUtcNow() + Lifetime;
        var claims = new Claims(tenantId, keyId, [.. scopes], runId, expiresAt.ToUnixTimeSeconds(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        return (SignedClaims.Seal(Prefix, _signingKeyId, _keys[_signingKeyId], claims), expiresAt);
    }

    /// <summary>What a genuine, unexpired ticket grants; null for anything else (malformed, unknown key, wrong signature, expired).</summary>
    public StreamTicket? Verify(string? ticket)
    {
        if (SignedClaims.Open<Claims>(ticket, Prefix, MaxTicketLength, _keys) is not { T: not null, K: not null, S: not null } claims)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expiresAt <= _time.GetUtcNow() ? null : new StreamTicket(claims.T, claims.K, claims.S, claims.R, expiresAt);
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning,
        Message = "No approval signing key is configured (Ratify:Approvals:SigningKeys): stream tickets are signed with a random key made for this host and are not accepted by other hosts")]
    private static partial void LogDevelopmentKey(ILogger logger);

    // Short names keep tickets short; N makes every ticket distinct.
    private sealed record Claims(string T, string K, string[] S, string? R, long E, string N);
}
