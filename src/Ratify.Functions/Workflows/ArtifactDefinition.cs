using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>A named artifact a step publishes from its own output (<c>{{output.text}}</c>) once it completes.</summary>
public sealed record ArtifactDefinition
{
    /// <summary>The name, unique within the step.</summary>
    public required string Name { get; init; }

    /// <summary><c>json</c>, <c>text</c>, <c>markdown</c>, <c>html</c>, <c>email</c>, or a media type such as <c>application/pdf</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The template to render; its strings may read <c>output</c> as well as the usual roots.</summary>
    public required JsonNode? Value { get; init; }
}
