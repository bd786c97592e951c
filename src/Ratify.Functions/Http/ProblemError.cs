namespace Ratify.Functions.Http;

/// <summary>One error of a 400 or 422 problem: where in the request body (a JSON pointer, e.g. <c>/steps/2/id</c>) and what is wrong.</summary>
public sealed record ProblemError(string Pointer, string Message);
