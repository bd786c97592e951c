namespace Ratify.Functions.Http;

/// <summary>406: the endpoint cannot answer in any form the request accepts; the detail says which forms it has.</summary>
public sealed class NotAcceptableProblemException(string detail) : ProblemException(406, detail);
