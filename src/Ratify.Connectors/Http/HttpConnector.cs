using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Json;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Http;

/// <summary>Calls an HTTP endpoint: <c>with: {method, url, headers?, query?, body?, timeout?, sideEffect?}</c>; output <c>{status, headers, body}</c>.</summary>
/// <remarks>
/// 5xx, 408 and 429 answers and timeouts are retryable (Retry-After is passed on); other 4xx answers
/// fail for good with the status and the (truncated) body in the failure details.
/// </remarks>
public sealed class HttpConnector : IConnector
{
    private static readonly string[] Methods = HttpDeclaration.Methods;
    private static readonly TimeSpan DefaultTimeout = HttpDeclaration.DefaultTimeout;

    // Header values that are credentials even when written literally in a definition.
    private static readonly HashSet<string> SensitiveHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token",
    };

    private readonly HttpExchange _exchange;

    /// <summary>Creates the connector over the shared guarded client.</summary>
    public HttpConnector(OutboundHttpClient client, IOptions<OutboundOptions> options, TimeProvider time)
    {
        _exchange = new HttpExchange(client, options.Value, time);
    }

    /// <inheritdoc />
    public string Name => "http";

    /// <inheritdoc />
    public ConnectorDeclaration Declaration => HttpDeclaration.Value;

    /// <inheritdoc />
    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments) => Declaration.Check(arguments);

    /// <inheritdoc />
    public SideEffect GetSideEffect(JsonObject arguments)
    {
        if (SideEffects.TryParse(arguments["sideEffect"], out var declared))
        {
            return declared;
        }

        // An unknown or templated method is treated as the most dangerous kind.
        var method = arguments["method"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>().ToUpperInvariant()
            : "";
        return method switch
        {
            "GET" or "HEAD" or "OPTIONS" => SideEffect.Read,
            "PUT" or "DELETE" => SideEffect.Idempotent,
            _ => SideEffect.Irreversible,
        };
    }

    /// <inheritdoc />
    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        ConnectorExecution.RunAsync(context, SensitiveValues(context.Arguments), async () =>
        {
            var request = BuildRequest(context.Arguments, context.IdempotencyKey);
            var timeout = ArgumentReader.Duration(context.Arguments, "timeout", DefaultTimeout);
            var (reply, failure) = await _exchange.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ConnectorResult.Failed(failure);
            }

            if (!reply!.IsSuccess)
            {
                return ConnectorResult.Failed(HttpExchange.StatusFailure(request, reply));
            }

            return ConnectorResult.Success(new JsonObject
            {
                ["status"] = (int)reply.Status,
                ["headers"] = reply.Headers,
                ["body"] = reply.BodyNode,
            });
        });

    private static OutboundRequest BuildRequest(JsonObject arguments, string idempotencyKey)
    {
        var method = ArgumentReader.RequiredString(arguments, "method").ToUpperInvariant();
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            throw ArgumentReader.Wrong("method", $"one of {string.Join(", ", Methods)}");
        }

        var uri = WithQuery(ArgumentReader.HttpUrl(arguments, "url"), ArgumentReader.OptionalObject(arguments, "query"));
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in ArgumentReader.OptionalObject(arguments, "headers") ?? [])
        {
            if (ArgumentReader.Scalar(value, $"headers/{name}") is { } text)
            {
                headers.Add(KeyValuePair.Create(name, text));
            }
        }

        if (!headers.Any(h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(KeyValuePair.Create("User-Agent", "Ratify"));
        }

        // A step may name its own key (an API with its own format); otherwise every execution of the step sends the same one.
        if (!headers.Any(h => h.Key.Equals(IdempotencyHeader.Name, StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(KeyValuePair.Create(IdempotencyHeader.Name, idempotencyKey));
        }

        var (content, contentType) = Body(arguments["body"]);
        return new OutboundRequest(new HttpMethod(method), uri, headers, content, contentType);
    }

    // A string is sent as text; any other JSON value as JSON. A Content-Type header overrides either.
    private static (ReadOnlyMemory<byte>? Content, string? ContentType) Body(JsonNode? body) => body switch
    {
        null => (null, null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String =>
            (Encoding.UTF8.GetBytes(value.GetValue<string>()), "text/plain; charset=utf-8"),
        _ => (JsonBytes.Of(body), "application/json; charset=utf-8"),
    };

    private static Uri WithQuery(Uri uri, JsonObject? query)
    {
        if (query is null || query.Count == 0)
        {
            return uri;
        }

        var pairs = new List<string>();
        foreach (var (name, value) in query)
        {
            var values = value is JsonArray array ? array.Select(item => ArgumentReader.Scalar(item, $"query/{name}")) : [ArgumentReader.Scalar(value, $"query/{name}")];
            pairs.AddRange(values.OfType<string>().Select(v => $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(v)}"));
        }

        var builder = new UriBuilder(uri);
        var existing = builder.Query.TrimStart('?');
        builder.Query = string.Join('&', new[] { existing }.Concat(pairs).Where(p => p.Length > 0));
        return builder.Uri;
    }

    private static IEnumerable<string?> SensitiveValues(JsonObject arguments)
    {
        if (arguments["headers"] is not JsonObject headers)
        {
            return [];
        }

        return headers.Where(h => SensitiveHeaders.Contains(h.Key)).Select(h => h.Value is JsonValue v ? v.ToString() : null);
    }
}
