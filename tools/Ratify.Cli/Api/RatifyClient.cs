using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ratify.Cli.Api;

/// <summary>Calls the Ratify HTTP API with the caller's key; every error answer becomes a <see cref="CliException"/> with its exit code.</summary>
internal sealed class RatifyClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);
    private readonly HttpClient _http;

    private RatifyClient(Uri baseAddress, string key)
    {
        // The timeout is applied per request, so that a stream can stay open as long as its run.
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ratify-cli", typeof(RatifyClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The server's base URL.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>A client for the URL and key given by flag or environment; a usage error names what is missing.</summary>
    public static RatifyClient Create(string? url, string? key, CliConsole console)
    {
        url = Pick(url, console.Environment(GlobalOptions.UrlVariable));
        key = Pick(key, console.Environment(GlobalOptions.KeyVariable));
        if (url is null)
        {
            throw CliException.Usage($"no server URL: pass --url or set {GlobalOptions.UrlVariable} (e.g. http://127.0.0.1:7071)");
        }

        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"the server URL '{url}' is not an http or https URL");
        }

        if (key is null)
        {
            throw CliException.Usage($"no API key: set {GlobalOptions.KeyVariable} (or pass --key)");
        }

        if (key.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw CliException.Usage($"the API key holds whitespace or control characters; check {GlobalOptions.KeyVariable}");
        }

        return new RatifyClient(baseAddress, key);
    }

    /// <summary>Sends a request and returns its successful answer.</summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method, string path, JsonNode? body = null, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(method, path, body, headers);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        return new ApiResponse((int)response.StatusCode, text);
    }

    /// <summary>Sends a request and returns the answer with its body unread (an export, a stream); the caller disposes it.</summary>
    public async Task<HttpResponseMessage> OpenAsync(
        HttpMethod method, string path, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(method, path, null, headers);
        return await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A path with its query; null values are left out, the rest escaped.</summary>
    public static string Path(string path, params (string Name, string? Value)[] query)
    {
        var parts = query.Where(q => q.Value is not null).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").ToList();
        return parts.Count == 0 ? path : path + "?" + string.Join('&', parts);
    }

    /// <summary>One path segment, escaped (ids come from the command line).</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    private static HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body, IReadOnlyDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpRequestMessage request, HttpCompletionOption completion, CancellationToken token, CancellationToken callerToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach {BaseAddress}: {e.Message}");
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"{BaseAddress} did not answer within {RequestTimeout.TotalSeconds:0} s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
            throw new CliException(ExitCodes.ForStatus(status), ProblemMessage.From(status, reason, text));
        }
    }

    private static string? Pick(string? flag, string? environment) =>
        !string.IsNullOrWhiteSpace(flag) ? flag.Trim() : !string.IsNullOrWhiteSpace(environment) ? environment.Trim() : null;
}
