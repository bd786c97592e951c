using System.Collections.Concurrent;
using System.Text;

namespace Ratify.Connectors.Tests.Support;

/// <summary>The artifacts of a run held in memory, as the app's artifact store would hand them to a connector.</summary>
public sealed class InMemoryArtifacts : IArtifactReader
{
    private readonly ConcurrentDictionary<(string Step, string Name), ConnectorArtifact> _artifacts = new();

    public InMemoryArtifacts Add(string step, string name, string type, string content)
    {
        _artifacts[(step, name)] = new ConnectorArtifact(name, type, Encoding.UTF8.GetBytes(content));
        return this;
    }

    public Task<ConnectorArtifact?> ReadAsync(string stepId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_artifacts.GetValueOrDefault((stepId, name)));
}
