using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Ratify.Functions.Http;

/// <summary>Builds and writes the app's problem+json responses, so that every error has the same shape.</summary>
internal static class ProblemResponses
{
    /// <summary>A problem with the status's reason phrase as title.</summary>
    public static ProblemDetails Create(int status, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail };
        foreach (var (name, value) in extensions ?? [])
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }

    /// <summary>The problem as a typed result (content type <c>application/problem+json</c>).</summary>
    public static ProblemHttpResult Result(int status, string detail) => TypedResults.Problem(Create(status, detail));

    /// <summary>Writes a problem response with <paramref name="status"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        TypedResults.Problem(Create(status, detail, extensions)).ExecuteAsync(context);

    /// <summary>Fills what every problem carries: a <c>type</c> (RFC 9110 for the status), the <c>instance</c> path and a <c>detail</c>.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Type ??= problem.Status == StatusCodes.Status413PayloadTooLarge
            ? "https://tools.ietf.org/html/rfc9110#section-15.5.14"
            : "about:blank";
        problem.Instance ??= context.HttpContext.Request.Path;

        // One name for 413 whichever component answered (RFC 9110 renamed "Payload Too Large").
        if (problem.Status == StatusCodes.Status413PayloadTooLarge)
        {
            problem.Title = "Content Too Large";
        }

        // Bare statuses from routing (status code pages) come without a detail; say what was asked.
        var request = context.HttpContext.Request;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is found at {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
            _ => problem.Title,
        };
    }
}
