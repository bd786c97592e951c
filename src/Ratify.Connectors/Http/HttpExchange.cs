using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Http;

/// <summary>Sends one outbound request with a timeout and reads the whole answer, turning every transport problem into a failure.</summary>
internal sealed class HttpExchange
{
    private const int DetailBodyLength = 4000;

    private readonly OutboundHttpClient _client;
    private readonly long _maxResponseBytes;
    private readonly TimeProvider _time;

    public HttpExchange(OutboundHttpClient client, OutboundOptions options, TimeProvider time)
    {
        _client = client;
        _maxResponseBytes = options.MaxResponseBytes;
        _time = time;
    }

    /// <summary>The reply, or a failure; a 4xx/5xx reply is returned as a reply (see <see cref="StatusFailure"/>).</summary>
    public async Task<(HttpReply? Reply, ConnectorFailure? Failure)> SendAsync(
        OutboundRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var target = Display(request);
        try
        {
            using var response = await _client.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await ReadAsync(response.Content, deadline.Token).ConfigureAwait(false);
            if (body is null)
            {
                return (null, new ConnectorFailure(
                    "response_too_large", $"{target} answered with more than {_maxResponseBytes} bytes", Retryable: false));
            }

            var type = response.Content.Headers.ContentType;
            return (new HttpReply(response.StatusCode, response.ReasonPhrase, Headers(response), body,
                type?.MediaType, type?.CharSet, RetryAfter(response.Headers.RetryAfter)), null);
        }
        catch (OutboundBlockedException e)
        {
            return (null, new ConnectorFailure("ssrf_blocked", e.Message, Retryable: false, Details: new JsonObject { ["host"] = e.Host }));
        }
        catch (TooManyRedirectsException e)
        {
            return (null, new ConnectorFailure("too_many_redirects", $"{target}: {e.Message}", Retryable: false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new ConnectorFailure("timeout", $"{target} did not answer within {timeout.TotalSeconds:0.###} s", Retryable: true));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, new ConnectorFailure("connection_failed", $"{target} failed: {e.Message}", Retryable: true));
        }
    }

    /// <summary>The failure for a 4xx/5xx reply: 5xx, 408 and 429 are worth retrying, other 4xx are not.</summary>
    public static ConnectorFailure StatusFailure(OutboundRequest request, HttpReply reply, string code = "http_status")
    {
        var status = (int)reply.Status;
        var retryable = status >= 500 || reply.Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        var details = new JsonObject
        {
            ["status"] = status,
            ["body"] = ResponseBody.Truncate(reply.BodyText, DetailBodyLength),
        };
        return new ConnectorFailure(
            code, $"{Display(request)} answered {status} {reply.ReasonPhrase}".TrimEnd(), retryable, reply.RetryAfter, details);
    }

    /// <summary>The method and URL without its query, which may carry credentials.</summary>
    public static string Display(OutboundRequest request) =>
        $"{request.Method} {request.Uri.GetLeftPart(UriPartial.Path)}";

    public TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static JsonObject Headers(HttpResponseMessage response)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        return headers;
    }

    // Returns null when the body is larger than allowed.
    private async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > _maxResponseBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _maxResponseBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
