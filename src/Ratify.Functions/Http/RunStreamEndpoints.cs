using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>A run's events as they happen: Server-Sent Events (<c>Accept: text/event-stream</c>) or a WebSocket, resumable with <c>after</c>.</summary>
public static class RunStreamEndpoints
{
    /// <summary>Maps <c>GET /v1/runs/{runId}/stream</c>.</summary>
    public static IEndpointRouteBuilder MapRunStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/runs/{runId}/stream", StreamAsync)
            .WithTags("Runs")
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("StreamRun")
            .WithMetadata(NoStorageBudgetMetadata.Instance) // a stream lasts as long as the run; each read retries on its own
            .WithMetadata(StreamTicketMetadata.Instance)
            .WithSummary("Follow a run's events (WebSocket, or Server-Sent Events with Accept: text/event-stream); ?after=N or Last-Event-ID resumes after event N; ?ticket= in place of the key header")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable);
        return app;
    }

    private static async Task StreamAsync(
        string runId,
        string? after,
        HttpContext context,
        CallerContext caller,
        RunStore runs,
        RunEventFollower follower,
        ApiKeyStore keys,
        TimeProvider time,
        IOptions<RunStreamOptions> options)
    {
        var from = ParseAfter(after ?? context.Request.Headers["Last-Event-ID"].ToString()) ?? 0;

        // Another tenant's run, or another run than a ticket's, looks exactly like one that does not exist.
        if ((caller.TicketRunId is { } only && only != runId)
            || await runs.GetAsync(caller.TenantId, runId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            throw new NotFoundProblemException($"Run {runId} was not found.");
        }

        await using var credential = StreamCredentialWatch.Start(caller, keys, time, options.Value.KeyCheckInterval, context.RequestAborted);
        await EventStreamWriter.WriteAsync(context, e => (StreamEventView.Render(e, caller, withCursor: false), e.Seq), options.Value.KeepAlive, credential,
            (deliver, idle, token) => follower.FollowAsync(caller.TenantId, runId, from, deliver, idle, token)).ConfigureAwait(false);
    }

    /// <summary>The position a client resumes after (<c>?after=</c> or <c>Last-Event-ID</c>); null when it gave none.</summary>
    internal static long? ParseAfter(string? value) =>
        string.IsNullOrEmpty(value) ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
        : throw new BadRequestProblemException($"after (or Last-Event-ID) must be the number of the last event received, not '{value}'.");
}
