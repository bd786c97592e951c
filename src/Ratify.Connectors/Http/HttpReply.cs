using System.Net;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Http;

/// <summary>A response read in full: status, headers as JSON, body bytes and media type.</summary>
internal sealed record HttpReply(
    HttpStatusCode Status,
    string? ReasonPhrase,
    JsonObject Headers,
    byte[] Body,
    string? MediaType,
    string? Charset,
    TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)Status < 400;

    /// <summary>The body as JSON when it is JSON, as text when it is text, as base64 otherwise.</summary>
    public JsonNode? BodyNode => ResponseBody.ToNode(Body, MediaType, Charset);

    public string BodyText => ResponseBody.ToText(Body, Charset);
}
