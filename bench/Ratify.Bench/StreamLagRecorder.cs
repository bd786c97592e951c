using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ratify.Bench;

/// <summary>
/// Follows the tenant's event stream (<c>GET /v1/stream</c>, Server-Sent Events) beside a batch and records, per event, the
/// time from the event's commit (its <c>at</c>, stamped by the host as it commits) to its arrival here.
/// </summary>
/// <remarks>The host runs on this machine, so both ends read the same clock.</remarks>
internal sealed class StreamLagRecorder : IAsyncDisposable
{
    private readonly List<double> _lags = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private StreamLagRecorder(HttpResponseMessage response)
    {
        _reading = ReadAsync(response, _stop.Token);
    }

    /// <summary>The lags recorded so far, in milliseconds.</summary>
    public IReadOnlyList<double> LagsMs
    {
        get
        {
            lock (_gate)
            {
                return [.. _lags];
            }
        }
    }

    /// <summary>Opens the stream (from now on) and starts recording.</summary>
    public static async Task<StreamLagRecorder> StartAsync(HttpClient client, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/stream", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        response.EnsureSuccessStatusCode();
        return new StreamLagRecorder(response);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The stream was closed to stop it.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        using (response)
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
            while (await reader.ReadLineAsync(cancellation) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var arrived = DateTimeOffset.UtcNow;
                using var document = JsonDocument.Parse(line[6..]);
                var at = DateTimeOffset.Parse(document.RootElement.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    _lags.Add((arrived - at).TotalMilliseconds);
                }
            }
        }
    }
}
