namespace Ratify.Functions.Events;

/// <summary>An artifact of a <see cref="RunSnapshotStep"/>, as its <c>artifact.created</c> event announced it.</summary>
internal sealed record RunSnapshotArtifact(string Name, string Type, string MediaType, long Size, string Sha256, DateTimeOffset CreatedAt);
