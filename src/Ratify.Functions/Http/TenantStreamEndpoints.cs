using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>Every run of the caller's tenant as one stream, and the short-lived tickets that let a browser open a stream.</summary>
public static class TenantStreamEndpoints
{
    /// <summary>Maps <c>GET /v1/stream</c> and <c>POST /v1/stream/tickets</c>.</summary>
    public static IEndpointRouteBuilder MapTenantStreamEndpoints(this IEndpointRouteBuilder app)
    {
        var stream = app.MapGroup("/v1/stream").WithTags("Runs");
        stream.MapGet("", StreamAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("StreamTenant")
            .WithMetadata(NoStorageBudgetMetadata.Instance) // a stream lasts until the client leaves; each read retries on its own
            .WithMetadata(StreamTicketMetadata.Instance)
            .WithSummary("Follow every run of the key's tenant (WebSocket, or Server-Sent Events with Accept: text/event-stream); each event carries runId, its per-run seq and a cursor; ?after=cursor or Last-Event-ID resumes (after=0: from the first event; none: from now); ?ticket= in place of the key header")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status406NotAcceptable);
        stream.MapPost("/tickets", IssueTicketAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("CreateStreamTicket")
            .WithSummary($"A ticket, valid for 60 seconds, that opens the key's streams (of one run when runId is given) with ?ticket= where a browser cannot send headers")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task StreamAsync(
        string? after, HttpContext context, CallerContext caller, TenantEventFollower follower, ApiKeyStore keys, TimeProvider time, IOptions<RunStreamOptions> options)
    {
        if (caller.TicketRunId is { } runId)
        {
            throw new ForbiddenProblemException($"This ticket opens only run {runId}'s stream, /v1/runs/{runId}/stream.");
        }

        var from = RunStreamEndpoints.ParseAfter(after ?? context.Request.Headers["Last-Event-ID"].ToString())
            ?? await follower.LatestAsync(caller.TenantId, context.RequestAborted).ConfigureAwait(false);
        await using var credential = StreamCredentialWatch.Start(caller, keys, time, options.Value.KeyCheckInterval, context.RequestAborted);
        await EventStreamWriter.WriteAsync(context, e => (StreamEventView.Render(e, caller, withCursor: true), e.Cursor), options.Value.KeepAlive, credential,
            (deliver, idle, token) => follower.FollowAsync(caller.TenantId, from, deliver, idle, token)).ConfigureAwait(false);
    }

    private static async Task<Ok<StreamTicketResponse>> IssueTicketAsync(
        StreamTicketRequest? request, CallerContext caller, RunStore runs, StreamTicketSigner signer, CancellationToken cancellationToken)
    {
        var runId = request?.RunId;
        if (runId is not null && await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new NotFoundProblemException($"Run {runId} was not found.");
        }

        var (ticket, expiresAt) = signer.Issue(caller.TenantId, caller.KeyId, caller.Scopes, runId);
        return TypedResults.Ok(new StreamTicketResponse(ticket, expiresAt, runId));
    }
}
