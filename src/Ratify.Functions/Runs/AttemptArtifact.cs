namespace Ratify.Functions.Runs;

/// <summary>An artifact as a step attempt produced it (already redacted), before it is stored.</summary>
public sealed record AttemptArtifact(string Name, string Type, ReadOnlyMemory<byte> Content);
