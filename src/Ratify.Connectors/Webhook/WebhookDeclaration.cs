using Ratify.Connectors.Declarations;

namespace Ratify.Connectors.Webhook;

/// <summary>The arguments, output and side-effect class of the <c>webhook</c> connector.</summary>
internal static class WebhookDeclaration
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static ConnectorDeclaration Value { get; } = new(
        "webhook",
        "POSTs a JSON payload to a URL through the SSRF guard, with the step's Idempotency-Key on every attempt and, given a secret, a signature header over the body.",
        "idempotent: every attempt carries the same Idempotency-Key, so a receiver can drop repeats.",
        ValueShape.ObjectOf("an object", [
            new("url", ValueShape.HttpUrl, "The URL to POST to.", Required: true),
            new("payload", ValueShape.Any, "The JSON body.", Default: "{runId, stepId, attempt}"),
            new("secret", ValueShape.String, $"Signs the body in the {WebhookSignature.HeaderName} header; use {{{{secrets.NAME}}}}."),
            new("headers", ValueShape.MapOf(ValueShape.Scalar, "an object of string, number or boolean values"),
                "Extra request headers; Idempotency-Key, the signature, User-Agent and Content-Type are the connector's own and are ignored."),
            new("timeout", ValueShape.Duration, "How long to wait for the answer.", Default: $"{DefaultTimeout.TotalSeconds:0}s"),
        ]),
        [],
        ValueShape.ObjectOf("an object", [
            new("status", ValueShape.Number(100, 599, integer: true), "The HTTP status (below 400; a 4xx or 5xx answer fails the step).", Required: true),
            new("headers", ValueShape.MapOf(ValueShape.String, "an object of strings"), "The response headers, names in lower case.", Required: true),
            new("body", ValueShape.Any, "The response body: parsed JSON for a JSON answer, a string for text, {base64, mediaType} for anything else, null when empty.", Required: true),
        ]),
        []);
}
