using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary>Follows <c>GET /v1/runs/{id}/stream</c> (Server-Sent Events) until the run ends, resuming after a dropped connection.</summary>
/// <remarks>
/// With <paramref name="announceApprovals"/>, a stream that stays quiet for <see cref="IdleCheck"/> makes the watcher read the run once
/// and name the approvals it waits for, since a gate that opens publishes no event of its own.
/// </remarks>
internal sealed class RunWatcher(RatifyClient client, string runId, IRunEventWriter writer, bool announceApprovals) : IDisposable
{
    private const int MaxReconnects = 5;
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly Dictionary<string, string> AcceptEvents = new() { ["Accept"] = "text/event-stream" };
    private readonly string _run = $"/v1/runs/{RatifyClient.Segment(runId)}";
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private long _lastSeq;
    private long _lastEventTicks = Environment.TickCount64;

    /// <summary>Shows every event, then returns the run as it ended.</summary>
    public async Task<JsonNode> WatchAsync(CancellationToken cancellationToken)
    {
        var reconnects = 0;
        while (true)
        {
            var before = _lastSeq;
            try
            {
                await FollowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsDrop(e, cancellationToken) && _lastSeq > 0)
            {
                // The connection dropped mid-run; the run's state below decides whether to follow it again.
            }

            var run = (await client.SendAsync(HttpMethod.Get, _run, cancellationToken: cancellationToken).ConfigureAwait(false)).Json;
            if (Values.Text(run, "status") is "completed" or "failed" or "cancelled")
            {
                return run;
            }

            reconnects = _lastSeq > before ? 0 : reconnects + 1;
            if (reconnects > MaxReconnects)
            {
                throw new CliException(ExitCodes.Unavailable, $"the stream of {runId} kept closing before the run ended (last event {_lastSeq})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * (1 << reconnects)), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        var path = RatifyClient.Path(_run + "/stream", ("after", _lastSeq.ToString(CultureInfo.InvariantCulture)));
        using var response = await client.OpenAsync(HttpMethod.Get, path, AcceptEvents, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var stopIdle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idle = announceApprovals ? AnnounceWhileIdleAsync(stopIdle.Token) : Task.CompletedTask;
        try
        {
            await ReadEventsAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopIdle.CancelAsync().ConfigureAwait(false);
            try
            {
                await idle.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or CliException or HttpRequestException)
            {
                // Only a hint for people; the stream decides how the watch ends.
            }
        }
    }

    private async Task ReadEventsAsync(Stream stream, CancellationToken cancellationToken)
    {
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            JsonNode? message;
            try
            {
                message = JsonNode.Parse(item.Data);
            }
            catch (JsonException)
            {
                continue; // not an event of this API; nothing to show
            }

            if (message is null)
            {
                continue;
            }

            if (long.TryParse(item.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                _lastSeq = seq;
            }

            Interlocked.Exchange(ref _lastEventTicks, Environment.TickCount64);
            await WriteAsync(() => writer.WriteAsync(item.Data, message), cancellationToken).ConfigureAwait(false);
            if (announceApprovals && item.EventType == "run.waiting_approval")
            {
                await AnnounceApprovalsAsync(cancellationToken).ConfigureAwait(false);
            }

            if (item.EventType is "run.completed" or "run.failed" or "run.cancelled")
            {
                return;
            }
        }
    }

    private async Task AnnounceWhileIdleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(IdleCheck);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Environment.TickCount64 - Interlocked.Read(ref _lastEventTicks) >= (long)IdleCheck.TotalMilliseconds)
            {
                await AnnounceApprovalsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Names each pending approval of the run once.</summary>
    private async Task AnnounceApprovalsAsync(CancellationToken cancellationToken)
    {
        var run = (await client.SendAsync(HttpMethod.Get, _run, cancellationToken: cancellationToken).ConfigureAwait(false)).Json;
        var pending = Values.Items(run, "steps")
            .Where(s => s["approval"] is JsonObject a && Values.Text(a, "status") == "pending")
            .Select(s => (JsonNode)new JsonObject { ["approvalId"] = Values.Text(s["approval"], "approvalId"), ["stepId"] = Values.Text(s, "id") })
            .ToList();
        await WriteAsync(() =>
        {
            var unannounced = pending.Where(a => _announced.Add(Values.Text(a, "approvalId") ?? "")).ToList();
            return unannounced.Count > 0 ? writer.WriteWaitingAsync(unannounced) : Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Events and approval hints come from two loops; their lines must not interleave.
    private async Task WriteAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Dispose() => _writing.Dispose();

    private static bool IsDrop(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && (e is IOException or HttpRequestException || (e is CliException c && c.ExitCode == ExitCodes.Unavailable));
}
