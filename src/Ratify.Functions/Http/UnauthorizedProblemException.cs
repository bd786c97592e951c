namespace Ratify.Functions.Http;

/// <summary>401: the request's credential (an API key, an approval link or a webhook signature) is missing or does not check out; the detail says which.</summary>
public sealed class UnauthorizedProblemException(string detail) : ProblemException(401, detail);
