namespace Ratify.Functions.Workflows;

/// <summary>One piece of a template: literal text, or a compiled <c>{{ expression }}</c>.</summary>
internal sealed record TemplateSegment(string? Text, CompiledExpression? Expression);
