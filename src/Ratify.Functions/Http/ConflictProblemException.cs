namespace Ratify.Functions.Http;

/// <summary>409: the request does not fit the resource's current state; the detail says why.</summary>
public sealed class ConflictProblemException(string detail)
    : ProblemException(409, detail);
