namespace Ratify.Functions.Http;

/// <summary>401: the request carries neither a valid API key nor another credential the endpoint accepts.</summary>
public sealed class UnauthorizedProblemException(string detail)
    : ProblemException(401, detail);
