namespace Ratify.Functions.Http;

/// <summary>An artifact shown by an approval, with its content when it is text.</summary>
/// <param name="Sha256">The hash recorded when the gate opened; <paramref name="Changed"/> says whether the stored bytes still match it.</param>
/// <param name="Content">The text (markdown, JSON, email source …); null for binary content.</param>
public sealed record ApprovalArtifactContent(string StepId, string Name, string Type, string MediaType, long Size, string Sha256, bool Changed, string? Content);
