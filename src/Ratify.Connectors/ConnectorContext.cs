using System.Text.Json.Nodes;

namespace Ratify.Connectors;

/// <summary>Everything one connector call receives: rendered arguments, the run and step identity, and what it may read.</summary>
/// <param name="Arguments">The step's <c>with</c> object with every template rendered.</param>
/// <param name="RunId">The run the step belongs to.</param>
/// <param name="StepId">The step being executed.</param>
/// <param name="Attempt">1 for the first attempt, 2 for the first retry, and so on.</param>
/// <param name="IdempotencyKey">The same on every attempt of this step of this run.</param>
/// <param name="Secrets">Secrets by name; values read here must never appear in outputs or errors.</param>
/// <param name="Artifacts">The artifacts already produced by this run (for attachments and the like).</param>
public sealed record ConnectorContext(
    JsonObject Arguments,
    string RunId,
    string StepId,
    int Attempt,
    string IdempotencyKey,
    ISecretStore Secrets,
    IArtifactReader Artifacts);
