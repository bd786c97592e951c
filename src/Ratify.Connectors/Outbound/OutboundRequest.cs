namespace Ratify.Connectors.Outbound;

/// <summary>One outbound HTTP call, kept as data so that it can be sent again to each redirect target.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The absolute http or https URL.</param>
/// <param name="Headers">Request headers, content headers included (they are moved onto the body).</param>
/// <param name="Content">The body, or null for none.</param>
/// <param name="ContentType">The body's media type (ignored without a body).</param>
public sealed record OutboundRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    ReadOnlyMemory<byte>? Content = null,
    string? ContentType = null);
