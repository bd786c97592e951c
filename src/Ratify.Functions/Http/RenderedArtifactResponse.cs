namespace Ratify.Functions.Http;

/// <summary>An artifact rendered for people: its description and an HTML fragment in which everything it holds is encoded or sanitised.</summary>
/// <param name="Html">The fragment: markdown and HTML sanitised, JSON pretty-printed, an email as headers and body.</param>
public sealed record RenderedArtifactResponse(string StepId, string Name, string Type, string MediaType, long Size, string Sha256, DateTimeOffset CreatedAt, string Html);
