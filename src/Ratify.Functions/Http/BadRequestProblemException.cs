namespace Ratify.Functions.Http;

/// <summary>400: the request cannot be understood (e.g. an input that fails its workflow's input schema), optionally with one error per violation.</summary>
public sealed class BadRequestProblemException(string detail, IReadOnlyList<ProblemError>? errors = null)
    : ProblemException(400, detail, errors);
