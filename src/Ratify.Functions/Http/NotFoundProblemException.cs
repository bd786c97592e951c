namespace Ratify.Functions.Http;

/// <summary>404: the resource does not exist, or belongs to another tenant (which must look the same).</summary>
public sealed class NotFoundProblemException(string detail = "The resource was not found.")
    : ProblemException(404, detail);
