using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Ratify.Functions.Approvals;
using Ratify.Functions.Rendering;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>The link side of approvals: context (JSON or the approver page) and resolve, with a key or a signed token.</summary>
public static partial class ApprovalsEndpoints
{
    /// <summary>The one answer for every link that does not open an approval: expired, tampered, revoked, another approval's or another tenant's.</summary>
    internal const string RefusedLink = "This approval link is not valid: it may have expired or been revoked. Ask for a new link.";

    private static async Task<IResult> ContextAsync(
        string approvalId, string? token, HttpContext http, ApprovalStore store, ApprovalLinkSigner signer, StepResultStore results, RunStore runs,
        ApprovalPageRenderer page, ApprovalAuditor auditor, TimeProvider time, CancellationToken cancellationToken)
    {
        var (approval, claims) = await OpenLinkAsync(approvalId, token, store, signer, cancellationToken).ConfigureAwait(false);
        var opening = new ApprovalOpening(claims.Approver, claims.TokenId, time.GetUtcNow());
        var openingId = await store.RecordOpeningAsync(approvalId, opening, cancellationToken).ConfigureAwait(false);

        // Recorded whatever happens to this request now: the context was read.
        await auditor.LinkOpenedAsync(approval, opening, openingId, CancellationToken.None).ConfigureAwait(false);
        var run = await runs.GetAsync(approval.TenantId, approval.RunId, cancellationToken).ConfigureAwait(false);
        var artifacts = new List<ApprovalArtifactContent>();
        foreach (var shown in approval.Artifacts)
        {
            var stored = await results.GetArtifactAsync(approval.RunId, shown.StepId, shown.Name, cancellationToken).ConfigureAwait(false);
            var bytes = stored?.Content.ToArray() ?? [];
            var changed = stored is null || Convert.ToHexStringLower(SHA256.HashData(bytes)) != shown.Sha256;
            var mediaType = ArtifactInfo.MediaTypeOf(shown.Type);
            var content = stored is null ? null : ArtifactHtmlRenderer.TextOf(shown.Type, mediaType, bytes);
            artifacts.Add(new ApprovalArtifactContent(shown.StepId, shown.Name, shown.Type, mediaType, shown.Size, shown.Sha256, changed, content));
        }

        var context = new JsonObject
        {
            ["runId"] = approval.RunId,
            ["workflowId"] = approval.WorkflowId,
            ["version"] = approval.Version,
            ["stepId"] = approval.StepId,
            ["startedBy"] = approval.RunStartedBy,
            ["createdAt"] = run?.CreatedAt.ToString("O"),
            ["input"] = run?.Input?.DeepClone(),
        };
        var response = new ApprovalContextResponse(approval.ApprovalId, approval.Status, approval.Message, claims.Approver, artifacts, context,
            claims.ExpiresAt, approval.Decision);
        if (WantsHtml(http.Request))
        {
            http.Response.Headers.ContentSecurityPolicy = ApprovalPageRenderer.ContentSecurityPolicy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.XFrameOptions = "DENY";
            return Results.Content(page.Render(response), "text/html; charset=utf-8");
        }

        return TypedResults.Ok(response);
    }

    private static async Task<Ok<ResolveApprovalResponse>> ResolveAsync(
        string approvalId, string? token, ResolveApprovalRequest? request, HttpContext http, ApprovalStore store, ApprovalLinkSigner signer,
        ApprovalResolver resolver, CancellationToken cancellationToken)
    {
        string tenantId, voter, channel, who;
        if (token is not null)
        {
            var (approval, claims) = await OpenLinkAsync(approvalId, token, store, signer, cancellationToken).ConfigureAwait(false);
            (tenantId, voter, channel, who) = (approval.TenantId, claims.Approver, "link:" + claims.TokenId, claims.Approver);
        }
        else
        {
            var caller = CallerContext.TryFrom(http.User)
                ?? throw new UnauthorizedProblemException("Resolve with the signed link you were sent (?token=…), or with an API key: Authorization: Bearer sk_ratify_….");
            if (!caller.HasScope(RatifyScopes.ApprovalsResolve))
            {
                throw new ForbiddenProblemException($"This API key lacks the scope '{RatifyScopes.ApprovalsResolve}'.");
            }

            (tenantId, voter, channel, who) = (caller.TenantId, ApproverIdentity.OfKey(caller.KeyId), ApproverIdentity.OfKey(caller.KeyId), "Key " + caller.KeyId);
        }

        var (decision, note) = CheckDecision(request);
        var outcome = await resolver.ResolveAsync(tenantId, approvalId, voter, channel, decision, note, cancellationToken).ConfigureAwait(false)
            ?? throw NoSuchApproval(approvalId);
        return Answer(outcome.Approval, outcome.Result, who);
    }

    /// <summary>The approval a token opens; every failure is the same 404, so that a probe learns nothing.</summary>
    private static async Task<(ApprovalRecord Approval, ApprovalLinkClaims Claims)> OpenLinkAsync(
        string approvalId, string? token, ApprovalStore store, ApprovalLinkSigner signer, CancellationToken cancellationToken)
    {
        var claims = signer.Verify(token);
        if (claims is null || claims.ApprovalId != approvalId)
        {
            throw new NotFoundProblemException(RefusedLink);
        }

        var approval = await store.GetAsync(claims.TenantId, approvalId, cancellationToken).ConfigureAwait(false);
        if (approval is null || approval.LinkGeneration != claims.Generation || approval.Status == ApprovalStatuses.Cancelled || !approval.MayDecide(claims.Approver))
        {
            throw new NotFoundProblemException(RefusedLink);
        }

        return (approval, claims);
    }

    /// <summary>A browser asks for HTML first; agents ask for JSON or anything.</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        var html = accept.Where(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return html > 0 && html >= json;
    }
}
