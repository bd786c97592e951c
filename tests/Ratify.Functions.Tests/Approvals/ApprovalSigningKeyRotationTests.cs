using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Approvals;

namespace Ratify.Functions.Tests.Approvals;

/// <summary>Rotating the link signing key: old links verify while their key is configured, new links use the new key.</summary>
public sealed class ApprovalSigningKeyRotationTests
{
    private const string OldKey = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleS0=";
    private const string NewKey = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleS0=";
    private static readonly DateTimeOffset ExpiresAt = DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public void Verify_LinkOfPreviousKeyWhileConfigured_Verifies_AndNewLinksUseTheNewKey()
    {
        var before = Signer(("k2026a", OldKey));
        var old = before.Issue("default", "apr_" + new string('a', 32), "alice@example.com", 0, ExpiresAt);

        var rotated = Signer(("k2026a", OldKey), ("k2026b", NewKey));
        var claims = rotated.Verify(old);
        Assert.NotNull(claims);
        Assert.Equal(("alice@example.com", "default"), (claims.Approver, claims.TenantId));

        var fresh = rotated.Issue("default", "apr_" + new string('a', 32), "alice@example.com", 0, ExpiresAt);
        Assert.StartsWith("k2026b.", fresh, StringComparison.Ordinal);
        Assert.NotNull(rotated.Verify(fresh));
        Assert.Null(before.Verify(fresh));
    }

    [Fact]
    public void Verify_LinkOfRemovedKey_IsRefusedLikeATamperedToken()
    {
        var old = Signer(("k2026a", OldKey)).Issue("default", "apr_" + new string('b', 32), "alice@example.com", 0, ExpiresAt);
        var retired = Signer(("k2026b", NewKey));
        var fresh = retired.Issue("default", "apr_" + new string('b', 32), "alice@example.com", 0, ExpiresAt);
        var tampered = fresh[..^2] + (fresh[^2] == 'A' ? "B" : "A") + fresh[^1];

        Assert.Null(retired.Verify(old));
        Assert.Null(retired.Verify(tampered));

        // Relabelled as the configured key, the old link's signature does not hold either.
        Assert.Null(retired.Verify("k2026b" + old[old.IndexOf('.', StringComparison.Ordinal)..]));
        Assert.NotNull(retired.Verify(fresh));
    }

    private static ApprovalLinkSigner Signer(params (string Id, string Secret)[] keys)
    {
        var options = new ApprovalOptions { SigningKeyId = keys[^1].Id };
        foreach (var (id, secret) in keys)
        {
            options.SigningKeys[id] = secret;
        }

        return new ApprovalLinkSigner(Options.Create(options), TimeProvider.System, NullLogger<ApprovalLinkSigner>.Instance);
    }
}
