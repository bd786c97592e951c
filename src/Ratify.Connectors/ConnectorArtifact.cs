namespace Ratify.Connectors;

/// <summary>A named output of a step: <paramref name="Type"/> is <c>json</c>, <c>text</c>, <c>markdown</c>, <c>html</c>, <c>email</c> or a media type.</summary>
public sealed record ConnectorArtifact(string Name, string Type, ReadOnlyMemory<byte> Content);
