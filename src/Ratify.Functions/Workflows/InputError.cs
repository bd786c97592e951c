namespace Ratify.Functions.Workflows;

/// <summary>One way a run's input breaks the workflow's <c>inputSchema</c>; <paramref name="Pointer"/> is an RFC 6901 pointer into the input.</summary>
public sealed record InputError(string Pointer, string Message);
