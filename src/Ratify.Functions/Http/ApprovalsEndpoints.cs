using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Approvals;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>
/// Approvals: agents list, read and resolve them with an API key; people open and resolve them through signed links with no
/// login (<c>?token=</c>). Another tenant's approval answers 404, and every refused link answers the same 404.
/// </summary>
public static partial class ApprovalsEndpoints
{
    /// <summary>Maps <c>/v1/approvals</c> and <c>/v1/runs/{runId}/approvals/{approvalId}/approve|reject</c>.</summary>
    public static IEndpointRouteBuilder MapApprovalsEndpoints(this IEndpointRouteBuilder app)
    {
        var approvals = app.MapGroup("/v1/approvals").WithTags("Approvals");
        approvals.MapGet("", ListAsync)
            .RequireScope(RatifyScopes.ApprovalsResolve)
            .WithName("ListApprovals")
            .WithSummary("List the approvals this key may decide, a page at a time in approval id order, filtered by status and runId")
            .WithDescription(
                "Filters: status (pending, approved, rejected, cancelled) and runId. limit is 1 to 200 (default 50). A page may hold fewer " +
                "approvals than the limit, even none, while continuationToken is set: pass it back unchanged for the next page; it is " +
                "null on the last. A limit, status, runId or continuationToken that is not valid is a 400 naming it.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        approvals.MapGet("/{approvalId}", GetAsync)
            .RequireScope(RatifyScopes.ApprovalsResolve)
            .WithName("GetApproval")
            .WithSummary("Read an approval with its receipt: artifacts shown and their SHA-256, votes, decision, notifications, link openings")
            .ProducesProblem(StatusCodes.Status404NotFound);
        approvals.MapGet("/{approvalId}/context", ContextAsync)
            .AllowAnonymous()
            .WithName("GetApprovalContext")
            .WithSummary("What the approver sees, through a signed link (?token=): JSON, or the approval page for a browser; records the opening")
            .ProducesProblem(StatusCodes.Status404NotFound);
        approvals.MapPost("/{approvalId}/resolve", ResolveAsync)
            .AllowAnonymous()
            .WithName("ResolveApproval")
            .WithSummary("Decide {decision: approved|rejected, note}: through a signed link (?token=) or with a key holding approvals:resolve")
            .Produces<ResolveApprovalResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        approvals.MapPost("/{approvalId}/revoke-links", RevokeLinksAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("RevokeApprovalLinks")
            .WithSummary("Void every link issued for the approval so far")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var runs = app.MapGroup("/v1/runs/{runId}/approvals/{approvalId}").WithTags("Approvals");
        runs.MapPost("/approve", (string runId, string approvalId, ApprovalCommentRequest? request, CallerContext caller, ApprovalResolver resolver, CancellationToken cancellationToken) =>
                DecideForRunAsync(runId, approvalId, ApprovalResolver.Approve, request, caller, resolver, cancellationToken))
            .RequireScope(RatifyScopes.ApprovalsResolve)
            .WithName("ApproveRunApproval")
            .WithSummary("Approve a gate of the run, with an optional {comment}")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/reject", (string runId, string approvalId, ApprovalCommentRequest? request, CallerContext caller, ApprovalResolver resolver, CancellationToken cancellationToken) =>
                DecideForRunAsync(runId, approvalId, ApprovalResolver.Reject, request, caller, resolver, cancellationToken))
            .RequireScope(RatifyScopes.ApprovalsResolve)
            .WithName("RejectRunApproval")
            .WithSummary("Reject a gate of the run, with an optional {comment}")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Ok<ApprovalListResponse>> ListAsync(
        CallerContext caller, ApprovalStore store, string? status, string? runId, string? limit, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (status is not null && !ApprovalStatuses.All.Contains(status))
        {
            errors.Add($"status must be one of {string.Join(", ", ApprovalStatuses.All.Order(StringComparer.Ordinal))}, not '{status}'");
        }

        if (runId is not null && !RunIds.IsWellFormed(runId))
        {
            errors.Add($"runId '{runId}' is not a run id");
        }

        var scope = "approvals:" + caller.TenantId;
        var query = new ApprovalQuery(status, runId, ListQuery.Limit(limit, errors), ListQuery.ContinuationToken(continuationToken, scope, errors));
        ListQuery.ThrowIfAny(errors);

        var identity = ApproverIdentity.OfKey(caller.KeyId);
        var page = await store.ListAsync(caller.TenantId, query, a => a.MayDecide(identity), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ApprovalListResponse([.. page.Approvals.Select(a => ApprovalResponse.From(a))], ListQuery.NextToken(page.ContinuationToken, scope)));
    }

    private static async Task<Ok<ApprovalResponse>> GetAsync(string approvalId, CallerContext caller, ApprovalStore store, CancellationToken cancellationToken)
    {
        var approval = await store.GetAsync(caller.TenantId, approvalId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchApproval(approvalId);
        var openings = await store.ListOpeningsAsync(approvalId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ApprovalResponse.From(approval, openings));
    }

    private static async Task<Ok<ApprovalResponse>> RevokeLinksAsync(
        string approvalId, CallerContext caller, ApprovalStore store, ApprovalAuditor auditor, CancellationToken cancellationToken)
    {
        var revoked = await store.UpdateAsync(caller.TenantId, approvalId, a => (a with { LinkGeneration = a.LinkGeneration + 1 }, 0), cancellationToken)
            .ConfigureAwait(false) ?? throw NoSuchApproval(approvalId);

        // Right after the change, as every API action is recorded (see Audit/README.md).
        await auditor.LinksRevokedAsync(revoked.Approval, AuditActor.Key(caller.KeyId), "revoked", CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Ok(ApprovalResponse.From(revoked.Approval));
    }

    private static async Task<Ok<ResolveApprovalResponse>> DecideForRunAsync(
        string runId, string approvalId, string decision, ApprovalCommentRequest? request, CallerContext caller, ApprovalResolver resolver,
        CancellationToken cancellationToken)
    {
        var note = CheckNote(request?.Comment, "/comment");
        var identity = ApproverIdentity.OfKey(caller.KeyId);
        var outcome = await resolver.ResolveAsync(caller.TenantId, approvalId, identity, identity, decision, note, cancellationToken, runId).ConfigureAwait(false)
            ?? throw NoSuchApproval(approvalId);
        return Answer(outcome.Approval, outcome.Result, "Key " + caller.KeyId);
    }

    /// <summary>The answer for a decision: 200 when it counted, a problem saying why otherwise.</summary>
    private static Ok<ResolveApprovalResponse> Answer(ApprovalRecord approval, ResolveResult result, string who)
    {
        var votes = approval.Votes.Count(v => v.Decision == ApprovalResolver.Approve);
        return result switch
        {
            ResolveResult.Decided => TypedResults.Ok(new ResolveApprovalResponse("Workflow resuming.", approval.ApprovalId, approval.RunId, approval.Status,
                approval.Decision!.Decision, votes, approval.Quorum)),
            ResolveResult.VoteRecorded => TypedResults.Ok(new ResolveApprovalResponse(
                $"Vote recorded: {votes} of {approval.Quorum} approvals; the gate waits for more.", approval.ApprovalId, approval.RunId, approval.Status,
                ApprovalResolver.Approve, votes, approval.Quorum)),
            ResolveResult.AlreadyDecided => throw new ConflictProblemException(
                $"Approval {approval.ApprovalId} was already {approval.Status} by {approval.Decision?.DecidedBy}; this decision changed nothing."),
            ResolveResult.AlreadyVoted => throw new ConflictProblemException($"{who} has already decided on approval {approval.ApprovalId}."),
            ResolveResult.Cancelled => throw new ConflictProblemException($"Approval {approval.ApprovalId} was cancelled with its run; it takes no decision."),
            ResolveResult.NotAnApprover => throw new ForbiddenProblemException($"{who} is not one of the approvers of approval {approval.ApprovalId}."),
            ResolveResult.SelfApproval => throw new ForbiddenProblemException(
                $"{who} started run {approval.RunId}, and its gate '{approval.StepId}' does not allow self-approval (allowSelfApproval is false)."),
            _ => throw new InvalidOperationException($"Unknown resolve result {result}."),
        };
    }

    private static (string Decision, string? Note) CheckDecision(ResolveApprovalRequest? request)
    {
        if (request is null)
        {
            throw new BadRequestProblemException("A JSON body is required: {\"decision\": \"approved\"|\"rejected\", \"note\": \"…\"}.");
        }

        var decision = request.Decision switch
        {
            "approved" or "approve" => ApprovalResolver.Approve,
            "rejected" or "reject" => ApprovalResolver.Reject,
            _ => throw new ValidationProblemException("/decision", "decision must be \"approved\" or \"rejected\"."),
        };
        return (decision, CheckNote(request.Note, "/note"));
    }

    private static string? CheckNote(string? note, string pointer) => note is { Length: > ApprovalLimits.MaxNoteLength }
        ? throw new ValidationProblemException(pointer, $"The note is longer than {ApprovalLimits.MaxNoteLength} characters.")
        : note;

    private static NotFoundProblemException NoSuchApproval(string approvalId) => new($"There is no approval '{approvalId}' in this tenant.");
}
