namespace Ratify.Functions.Http;

/// <summary>The answer to <c>GET /v1/runs/{runId}/artifacts</c>: every artifact of the run, by step then name.</summary>
public sealed record ArtifactListResponse(IReadOnlyList<ArtifactResponse> Artifacts);
