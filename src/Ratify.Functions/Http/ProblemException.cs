namespace Ratify.Functions.Http;

/// <summary>An error that the edge answers with an <c>application/problem+json</c> response of its status; throw a subclass.</summary>
/// <remarks>The message becomes the problem's <c>detail</c>, so it must be written for the caller and carry no secrets.</remarks>
public abstract class ProblemException : Exception
{
    /// <summary>Creates the exception; <paramref name="detail"/> is shown to the caller.</summary>
    protected ProblemException(int statusCode, string detail, IReadOnlyList<ProblemError>? errors = null, Exception? innerException = null)
        : base(detail, innerException)
    {
        StatusCode = statusCode;
        Errors = errors ?? [];
    }

    /// <summary>The HTTP status of the response.</summary>
    public int StatusCode { get; }

    /// <summary>The problem's <c>errors</c> array (empty: the member is left out).</summary>
    public IReadOnlyList<ProblemError> Errors { get; }
}
