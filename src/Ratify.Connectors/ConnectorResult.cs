using System.Text.Json.Nodes;

namespace Ratify.Connectors;

/// <summary>The outcome of one connector call: an output with artifacts, or a failure.</summary>
public sealed record ConnectorResult
{
    private ConnectorResult(JsonNode? output, IReadOnlyList<ConnectorArtifact> artifacts, ConnectorFailure? failure)
    {
        Output = output;
        Artifacts = artifacts;
        Failure = failure;
    }

    /// <summary>The step output (null when the call failed).</summary>
    public JsonNode? Output { get; }

    /// <summary>Artifacts the connector produced itself.</summary>
    public IReadOnlyList<ConnectorArtifact> Artifacts { get; }

    /// <summary>Why the call failed, or null when it succeeded.</summary>
    public ConnectorFailure? Failure { get; }

    /// <summary>True when the call succeeded.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>A successful call.</summary>
    public static ConnectorResult Success(JsonNode? output, IReadOnlyList<ConnectorArtifact>? artifacts = null) =>
        new(output, artifacts ?? [], null);

    /// <summary>A failed call.</summary>
    public static ConnectorResult Failed(ConnectorFailure failure) => new(null, [], failure);
}
