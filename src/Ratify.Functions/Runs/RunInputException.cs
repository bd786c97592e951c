using Ratify.Functions.Workflows;

namespace Ratify.Functions.Runs;

/// <summary>A run's input breaks its workflow's <c>inputSchema</c>; carries every violation.</summary>
public sealed class RunInputException(string workflowId, IReadOnlyList<InputError> errors)
    : Exception($"The input does not match the inputSchema of workflow '{workflowId}' ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}).")
{
    /// <summary>Every violation, each with a JSON pointer into the input.</summary>
    public IReadOnlyList<InputError> Errors { get; } = errors;
}
