using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ratify.Connectors;

namespace Ratify.Functions.Workflows;

/// <summary>One step of a workflow: a built-in type or a connector call, with its arguments and policies.</summary>
public sealed record StepDefinition
{
    /// <summary>The id, unique within the workflow, used in <c>dependsOn</c> and <c>steps.ID.output</c>.</summary>
    public required string Id { get; init; }

    /// <summary>A built-in type (<see cref="StepTypes"/>); exactly one of this and <see cref="Connector"/> is set.</summary>
    public string? Type { get; init; }

    /// <summary>The name of the connector to call.</summary>
    public string? Connector { get; init; }

    /// <summary>The arguments; every string in it is a template.</summary>
    public JsonObject? With { get; init; }

    /// <summary>The steps that must finish first.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary>A condition; when false the step is skipped.</summary>
    public string? If { get; init; }

    /// <summary>The retry policy; one attempt when absent.</summary>
    public RetryDefinition? Retry { get; init; }

    /// <summary>The ISO 8601 time limit of one attempt; none when absent.</summary>
    public string? Timeout { get; init; }

    /// <summary>What the step's final failure does; <see cref="OnFailurePolicy.Fail"/> when absent.</summary>
    public OnFailurePolicy? OnFailure { get; init; }

    /// <summary>The artifacts the step publishes from its output.</summary>
    public IReadOnlyList<ArtifactDefinition>? Artifacts { get; init; }

    /// <summary>For an approval step: the connectors that tell its approvers.</summary>
    public IReadOnlyList<NotifyDefinition>? Notify { get; init; }

    /// <summary>Overrides what the connector declares about the call's side effect.</summary>
    [JsonConverter(typeof(CamelCaseEnumConverter<SideEffect>))]
    public SideEffect? SideEffect { get; init; }

    /// <summary>The ids in <see cref="DependsOn"/>, or none.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Dependencies => DependsOn ?? [];
}
