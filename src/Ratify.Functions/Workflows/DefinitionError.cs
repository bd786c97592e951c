namespace Ratify.Functions.Workflows;

/// <summary>One problem in a submitted definition; <paramref name="Pointer"/> is an RFC 6901 JSON pointer into it.</summary>
public sealed record DefinitionError(string Pointer, string Message);
