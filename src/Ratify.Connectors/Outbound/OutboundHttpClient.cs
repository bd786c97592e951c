using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Ratify.Connectors.Outbound;

/// <summary>The one HTTP client of every outbound connector: SSRF-guarded connections and redirects followed by hand, each hop checked again.</summary>
/// <remarks>Custom connectors that call HTTP should inject this client so that the same guard applies to them.</remarks>
public sealed class OutboundHttpClient : IDisposable
{
    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie",
    };

    private readonly HttpClient _client;
    private readonly int _maxRedirects;

    /// <summary>Creates the client over the guard.</summary>
    public OutboundHttpClient(OutboundGuard guard, IOptions<OutboundOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed below so that each target goes through the scheme check.
            AllowAutoRedirect = false,
            // A proxy would receive the connection instead of the checked address.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.Value.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken)
                    .ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _maxRedirects = options.Value.MaxRedirects;
    }

    /// <summary>Sends the request, following up to <see cref="OutboundOptions.MaxRedirects"/> redirects; the caller disposes the response.</summary>
    /// <exception cref="OutboundBlockedException">A scheme other than http/https, or an internal destination.</exception>
    /// <exception cref="TooManyRedirectsException">The redirect limit was reached.</exception>
    public async Task<HttpResponseMessage> SendAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            EnsureScheme(request.Uri);
            var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (hop >= _maxRedirects)
            {
                throw new TooManyRedirectsException(_maxRedirects);
            }

            request = Redirected(request, response.StatusCode, location);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendOnceAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Uri)
        {
            // HTTP/3 runs over QUIC, which bypasses the connect callback: never negotiate upwards.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (request.Content is { } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers ?? [])
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.Remove(name);
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        try
        {
            return await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (Find<OutboundBlockedException>(e) is { } blocked)
        {
            throw blocked;
        }
    }

    private static OutboundRequest Redirected(OutboundRequest request, HttpStatusCode status, Uri location)
    {
        var target = location.IsAbsoluteUri ? location : new Uri(request.Uri, location);
        EnsureScheme(target);

        var headers = request.Headers ?? [];
        if (!SameOrigin(request.Uri, target))
        {
            // Credentials meant for one origin are not handed to another.
            headers = [.. headers.Where(h => !CredentialHeaders.Contains(h.Key))];
        }

        // 303, and 301/302 after a POST, turn into a GET without a body (as browsers do).
        var toGet = (status == HttpStatusCode.SeeOther && request.Method != HttpMethod.Head)
            || (status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && request.Method == HttpMethod.Post);
        return toGet
            ? request with { Method = HttpMethod.Get, Uri = target, Headers = headers, Content = null, ContentType = null }
            : request with { Uri = target, Headers = headers };
    }

    private static void EnsureScheme(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new OutboundBlockedException(uri.IsFile ? "file" : uri.Host, $"the scheme '{uri.Scheme}' is not http or https");
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }
}
