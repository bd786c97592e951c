namespace Ratify.Connectors.Declarations;

/// <summary>A named artifact a connector publishes on every successful call, with its artifact type.</summary>
public sealed record ArtifactDeclaration(string Name, string Type, string Description);
