namespace Ratify.Connectors;

/// <summary>One problem in a step's <c>with</c> object; <paramref name="Pointer"/> is a JSON pointer relative to it.</summary>
public sealed record ArgumentError(string Pointer, string Message);
