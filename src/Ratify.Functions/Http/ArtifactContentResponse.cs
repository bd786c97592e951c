using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>An artifact with its content, in the form agents read best.</summary>
/// <param name="Encoding">
/// How <paramref name="Content"/> holds the bytes: <c>json</c> (the parsed JSON value), <c>text</c> (a UTF-8 string) or <c>base64</c>.
/// </param>
public sealed record ArtifactContentResponse(
    string StepId,
    string Name,
    string Type,
    string MediaType,
    long Size,
    string Sha256,
    DateTimeOffset CreatedAt,
    string Encoding,
    JsonNode? Content)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>JSON artifacts as their value, text-like ones as text, everything else (or text that is not UTF-8) as base64.</summary>
    public static ArtifactContentResponse From(ArtifactInfo info, BinaryData content)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(content);
        var (encoding, value) = Decode(info, content.ToMemory());
        return new ArtifactContentResponse(info.StepId, info.Name, info.Type, info.MediaType, info.Size, info.Sha256, info.CreatedAt, encoding, value);
    }

    private static (string Encoding, JsonNode? Value) Decode(ArtifactInfo info, ReadOnlyMemory<byte> bytes)
    {
        var mediaType = info.MediaType.Split(';')[0].Trim().ToLowerInvariant();
        if (IsJson(mediaType))
        {
            try
            {
                return ("json", JsonNode.Parse(bytes.Span));
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to text.
            }
        }

        if (IsText(mediaType) || IsJson(mediaType))
        {
            try
            {
                return ("text", JsonValue.Create(StrictUtf8.GetString(bytes.Span)));
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: base64 keeps every byte.
            }
        }

        return ("base64", JsonValue.Create(Convert.ToBase64String(bytes.Span)));
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal)
        || mediaType is "message/rfc822" or "application/xml" or "application/javascript" or "application/yaml" or "image/svg+xml"
        || mediaType.EndsWith("+xml", StringComparison.Ordinal);
}
