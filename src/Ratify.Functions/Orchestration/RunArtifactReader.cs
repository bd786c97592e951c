using Ratify.Connectors;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Lets a connector read the artifacts its run has produced (email attachments and the like).</summary>
internal sealed class RunArtifactReader(StepResultStore results, string runId) : IArtifactReader
{
    public async Task<ConnectorArtifact?> ReadAsync(string stepId, string name, CancellationToken cancellationToken)
    {
        var found = await results.GetArtifactAsync(runId, stepId, name, cancellationToken).ConfigureAwait(false);
        return found is { } artifact ? new ConnectorArtifact(name, artifact.Info.Type, artifact.Content.ToMemory()) : null;
    }
}
