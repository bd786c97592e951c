namespace Ratify.Connectors;

/// <summary>Reads the artifacts a run has produced so far.</summary>
public interface IArtifactReader
{
    /// <summary>The artifact <paramref name="name"/> of step <paramref name="stepId"/>, or null when there is none.</summary>
    Task<ConnectorArtifact?> ReadAsync(string stepId, string name, CancellationToken cancellationToken);
}
