namespace Ratify.Functions.Approvals;

/// <summary>An artifact an approval showed, with the SHA-256 of the exact bytes shown.</summary>
public sealed record ApprovalArtifact(string StepId, string Name, string Type, long Size, string Sha256);
