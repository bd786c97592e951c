namespace Ratify.Functions.Runs;

/// <summary>A stored artifact's description: what it is, how big, and its SHA-256.</summary>
public sealed record ArtifactInfo(string StepId, string Name, string Type, string MediaType, long Size, string Sha256, DateTimeOffset CreatedAt)
{
    /// <summary>The media type of an artifact type: the named kinds map to text types, anything else is taken as a media type.</summary>
    public static string MediaTypeOf(string type) => type switch
    {
        "json" => "application/json",
        "text" => "text/plain; charset=utf-8",
        "markdown" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "email" => "message/rfc822",
        _ => type,
    };
}
