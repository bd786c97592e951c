namespace Ratify.Functions.Http;

/// <summary>403: the caller is authenticated but may not do this (beyond the scope checks that policies already make).</summary>
public sealed class ForbiddenProblemException(string detail)
    : ProblemException(403, detail);
