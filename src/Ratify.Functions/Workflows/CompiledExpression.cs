namespace Ratify.Functions.Workflows;

/// <summary>An expression that passed the whitelist, reprinted as the only JavaScript the sandbox ever runs.</summary>
internal sealed record CompiledExpression(
    string Text,
    string Source,
    ExpressionRoots Roots,
    IReadOnlyCollection<string> Steps,
    IReadOnlyCollection<string> Secrets);
