namespace Ratify.Functions.Workflows;

/// <summary>What parsing a template or condition found: its errors and the steps and secrets it reads.</summary>
public sealed record ExpressionParseResult(
    IReadOnlyList<string> Errors,
    IReadOnlyCollection<string> StepReferences,
    IReadOnlyCollection<string> SecretReferences)
{
    /// <summary>True when the text parsed without error.</summary>
    public bool IsValid => Errors.Count == 0;
}
