using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>An artifact's description, with the URL that returns its content.</summary>
public sealed record ArtifactResponse(string StepId, string Name, string Type, string MediaType, long Size, string Sha256, DateTimeOffset CreatedAt, string Url)
{
    /// <summary>The response for an artifact of run <paramref name="runId"/>.</summary>
    public static ArtifactResponse From(string runId, ArtifactInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var url = $"/v1/runs/{runId}/artifacts/{Uri.EscapeDataString(info.StepId)}/{Uri.EscapeDataString(info.Name)}";
        return new ArtifactResponse(info.StepId, info.Name, info.Type, info.MediaType, info.Size, info.Sha256, info.CreatedAt, url);
    }
}
