using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Ratify.Functions.Events;

namespace Ratify.Functions.Http;

/// <summary>
/// Sends followed events to a client as WebSocket text messages, or as Server-Sent Events (<c>Accept: text/event-stream</c>);
/// each send is awaited before the next event is read, so a slow client slows its own stream and holds no backlog.
/// </summary>
internal static class EventStreamWriter
{
    /// <summary>
    /// Follows with <paramref name="follow"/> until it returns, the client leaves or <paramref name="credential"/> ends;
    /// <paramref name="render"/> gives each event's JSON and SSE id.
    /// </summary>
    public static async Task WriteAsync(
        HttpContext context,
        Func<RunEvent, (JsonObject Json, long Id)> render,
        TimeSpan keepAlive,
        StreamCredentialWatch credential,
        Func<Func<RunEvent, Task>, Func<Task>, CancellationToken, Task> follow)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (context.WebSockets.IsWebSocketRequest)
        {
            await WriteWebSocketAsync(context, render, credential, follow).ConfigureAwait(false);
            return;
        }

        if (!context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            throw new NotAcceptableProblemException("Open a WebSocket, or ask for Server-Sent Events with Accept: text/event-stream.");
        }

        var response = context.Response;
        var aborted = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(aborted).ConfigureAwait(false);
        var lastWrite = DateTimeOffset.UtcNow;

        // Sends finish with the client's token only, so that a credential ending mid-event never cuts a frame in half.
        using var following = CancellationTokenSource.CreateLinkedTokenSource(aborted, credential.Ended);
        try
        {
            await follow(
                async e =>
                {
                    var (json, id) = render(e);
                    await response.WriteAsync($"id: {id}\nevent: {e.Type}\ndata: {json.ToJsonString()}\n\n", aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    lastWrite = DateTimeOffset.UtcNow;
                },
                async () =>
                {
                    if (DateTimeOffset.UtcNow - lastWrite >= keepAlive)
                    {
                        await response.WriteAsync(": keep-alive\n\n", aborted).ConfigureAwait(false);
                        await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                        lastWrite = DateTimeOffset.UtcNow;
                    }
                },
                following.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left.
            return;
        }
        catch (OperationCanceledException) when (credential.Ended.IsCancellationRequested)
        {
            // Ended below.
        }

        if (credential.Ended.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The response ends here; a client that reconnects must authenticate again.
            await response.WriteAsync($": stream closed: {credential.Reason}\n\n", aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }
    }

    private static async Task WriteWebSocketAsync(
        HttpContext context, Func<RunEvent, (JsonObject Json, long Id)> render, StreamCredentialWatch credential, Func<Func<RunEvent, Task>, Func<Task>, CancellationToken, Task> follow)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

        // A cancelled send aborts a WebSocket, so sends take only the client's token and the credential stops the following.
        using var following = CancellationTokenSource.CreateLinkedTokenSource(closed.Token, credential.Ended);

        // Clients only listen; reading is how a close from their side is noticed.
        var listening = ListenForCloseAsync(socket, closed);
        try
        {
            try
            {
                await follow(
                    e => socket.SendAsync(Encoding.UTF8.GetBytes(render(e).Json.ToJsonString()), WebSocketMessageType.Text, true, closed.Token),
                    () => Task.CompletedTask,
                    following.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (credential.Ended.IsCancellationRequested && !closed.IsCancellationRequested)
            {
                // Closed below.
            }

            if (socket.State == WebSocketState.Open)
            {
                var (status, reason) = credential.Ended.IsCancellationRequested
                    ? (WebSocketCloseStatus.PolicyViolation, credential.Reason)
                    : (WebSocketCloseStatus.NormalClosure, "run finished");
                await socket.CloseOutputAsync(status, reason, closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && closed.IsCancellationRequested)
        {
            // The client left.
        }
        finally
        {
            await closed.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
        }
    }

    private static async Task ListenForCloseAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[256];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed from either side.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }
}
