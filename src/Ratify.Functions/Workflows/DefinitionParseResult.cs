namespace Ratify.Functions.Workflows;

/// <summary>The outcome of parsing a definition: the model when it is valid, otherwise every error found.</summary>
public sealed record DefinitionParseResult(WorkflowDefinition? Definition, IReadOnlyList<DefinitionError> Errors)
{
    /// <summary>True when there is no error and <see cref="Definition"/> is set.</summary>
    public bool IsValid => Definition is not null && Errors.Count == 0;
}
