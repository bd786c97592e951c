namespace Ratify.Functions.Http;

/// <summary>One line of a diff between two definitions: <c>same</c>, <c>added</c> or <c>removed</c>, with its line number on each side it appears on.</summary>
public sealed record WorkflowDiffLine(string Change, int? FromLine, int? ToLine, string Text);
