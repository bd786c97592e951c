namespace Ratify.Functions.Http;

/// <summary>413: the request body is larger than the endpoint accepts.</summary>
public sealed class PayloadTooLargeProblemException(long limit)
    : ProblemException(413, $"The request body is larger than the limit of {limit} bytes.");
