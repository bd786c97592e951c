using Ratify.Connectors.Declarations;

namespace Ratify.Connectors.Http;

/// <summary>The arguments, output and side-effect class of the <c>http</c> connector.</summary>
internal static class HttpDeclaration
{
    public static readonly string[] Methods = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"];

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static ConnectorDeclaration Value { get; } = new(
        "http",
        "Calls an HTTP endpoint through the SSRF guard. 5xx, 408 and 429 answers and timeouts are retryable (Retry-After is honoured); other 4xx answers fail for good.",
        "read, idempotent or irreversible by method: read for GET, HEAD and OPTIONS; idempotent for PUT and DELETE; irreversible otherwise (also when the method is a template); `sideEffect` overrides it.",
        ValueShape.ObjectOf("an object", [
            new("method", ValueShape.OneOf(Methods, ignoreCase: true), "The HTTP method (any case).", Required: true),
            new("url", ValueShape.HttpUrl, "The URL to call.", Required: true),
            new("headers", ValueShape.MapOf(ValueShape.Scalar, "an object of string, number or boolean values"),
                "Request headers. Authorization, Cookie and API-key headers are redacted from outputs and logs; a step may set its own Idempotency-Key.",
                Default: "User-Agent: Ratify and Idempotency-Key: the step's key"),
            new("query", ValueShape.MapOf(
                    ValueShape.Either("a string, number, boolean or an array of them", ValueShape.Scalar, ValueShape.ArrayOf(ValueShape.Scalar, expected: "an array of strings, numbers or booleans")),
                    "an object of string, number or boolean values or arrays of them"),
                "Query parameters appended to the URL (an array repeats the parameter)."),
            new("body", ValueShape.Any, "The request body: a string is sent as text/plain, any other JSON value as application/json. A Content-Type header overrides either."),
            new("timeout", ValueShape.Duration, "How long to wait for the answer.", Default: $"{DefaultTimeout.TotalSeconds:0}s"),
            new("sideEffect", ValueShape.OneOf(["read", "idempotent", "irreversible"]), "Overrides the side-effect class derived from the method.",
                Default: "derived from the method"),
        ]),
        [],
        ValueShape.ObjectOf("an object", [
            new("status", ValueShape.Number(100, 599, integer: true), "The HTTP status (below 400; a 4xx or 5xx answer fails the step).", Required: true),
            new("headers", ValueShape.MapOf(ValueShape.String, "an object of strings"), "The response headers, names in lower case, repeated values joined by \", \".", Required: true),
            new("body", ValueShape.Any, "The response body: parsed JSON for a JSON answer, a string for text, {base64, mediaType} for anything else, null when empty.", Required: true),
        ]),
        []);
}
