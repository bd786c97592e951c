using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
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
            .WithSummary("Follow a run's events (WebSocket, or Server-Sent Events with Accept: text/event-stream); ?after=N or Last-Event-ID resumes after event N")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status406NotAcceptable);
        return app;
    }

    private static async Task StreamAsync(
        string runId, string? after, HttpContext context, CallerContext caller, RunStore runs, RunEventFollower follower, IOptions<RunStreamOptions> options)
    {
        var from = After(after ?? context.Request.Headers["Last-Event-ID"].ToString());
        if (await runs.GetAsync(caller.TenantId, runId, context.RequestAborted).ConfigureAwait(false) is null)
        {
            // Another tenant's run looks exactly like one that does not exist.
            throw new NotFoundProblemException($"Run {runId} was not found.");
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await follower.FollowAsync(caller.TenantId, runId, from,
                e => socket.SendAsync(Encoding.UTF8.GetBytes(e.ToJson().ToJsonString()), WebSocketMessageType.Text, true, context.RequestAborted),
                () => Task.CompletedTask,
                context.RequestAborted).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "run finished", context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        if (!context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            throw new NotAcceptableProblemException("Open a WebSocket, or ask for Server-Sent Events with Accept: text/event-stream.");
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        var lastWrite = DateTimeOffset.UtcNow;
        await follower.FollowAsync(caller.TenantId, runId, from,
            async e =>
            {
                var frame = $"id: {e.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {e.Type}\ndata: {e.ToJson().ToJsonString()}\n\n";
                await response.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                lastWrite = DateTimeOffset.UtcNow;
            },
            async () =>
            {
                if (DateTimeOffset.UtcNow - lastWrite >= options.Value.KeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", context.RequestAborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    lastWrite = DateTimeOffset.UtcNow;
                }
            },
            context.RequestAborted).ConfigureAwait(false);
    }

    private static long After(string? value) =>
        string.IsNullOrEmpty(value) ? 0
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
        : throw new BadRequestProblemException($"after (or Last-Event-ID) must be the sequence number of the last event received, not '{value}'.");
}
