using Microsoft.Extensions.Options;

namespace Ratify.Functions.Approvals;

/// <summary>Makes an approver's signed links to a gate, on <see cref="ApprovalOptions.PublicBaseUrl"/>.</summary>
public sealed class ApprovalLinkFactory(ApprovalLinkSigner signer, IOptions<ApprovalOptions> options, TimeProvider time)
{
    /// <summary>Links for <paramref name="approver"/>, expiring with the gate (or after <see cref="ApprovalOptions.LinkLifetime"/> without a timeout).</summary>
    public ApprovalLink Create(ApprovalRecord approval, string approver)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var expiresAt = approval.ExpiresAt ?? time.GetUtcNow() + options.Value.LinkLifetime;
        var token = Uri.EscapeDataString(signer.Issue(approval.TenantId, approval.ApprovalId, approver, approval.LinkGeneration, expiresAt));
        var path = options.Value.PublicBaseUrl.TrimEnd('/') + "/v1/approvals/" + approval.ApprovalId;
        return new ApprovalLink(approver, $"{path}/context?token={token}", $"{path}/resolve?token={token}");
    }
}
