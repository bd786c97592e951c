namespace Ratify.Functions.Http;

/// <summary>422: the body is well-formed JSON but invalid; carries every error found, each with its JSON pointer.</summary>
public sealed class ValidationProblemException : ProblemException
{
    /// <summary>Creates the exception from every error found (collect them all before throwing).</summary>
    public ValidationProblemException(IReadOnlyList<ProblemError> errors, string? detail = null)
        : base(422, detail ?? Describe(errors), errors)
    {
    }

    /// <summary>Creates the exception for a single error.</summary>
    public ValidationProblemException(string pointer, string message)
        : this([new ProblemError(pointer, message)])
    {
    }

    private static string Describe(IReadOnlyList<ProblemError> errors) => errors.Count switch
    {
        0 => "The request is invalid.",
        1 => "The request has 1 validation error.",
        var n => $"The request has {n} validation errors.",
    };
}
