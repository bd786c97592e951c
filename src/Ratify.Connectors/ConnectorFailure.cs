using System.Text.Json.Nodes;

namespace Ratify.Connectors;

/// <summary>Why a connector call failed, and whether trying again may help.</summary>
/// <param name="Code">A short machine-readable code, e.g. <c>http_status</c> or <c>ssrf_blocked</c>.</param>
/// <param name="Message">A precise human-readable message (never containing a secret).</param>
/// <param name="Retryable">True when the same call may succeed later (5xx, 408, 429, timeouts).</param>
/// <param name="RetryAfter">The delay the remote side asked for, if any.</param>
/// <param name="Details">Extra structured detail, e.g. the response status and body.</param>
public sealed record ConnectorFailure(
    string Code,
    string Message,
    bool Retryable,
    TimeSpan? RetryAfter = null,
    JsonNode? Details = null);
