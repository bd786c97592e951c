using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Http;

/// <summary>
/// The one place where exceptions become problem+json: typed app errors keep their status, an unavailable store is a 503 with
/// <c>Retry-After</c>, the rest is a 500 with no details.
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger, IOptions<StorageBudgetOptions> storageBudget) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody is left to read an answer.
            return true;
        }

        if (exception is not (ProblemException or BadHttpRequestException) && IsStorageOutage(httpContext, exception))
        {
            var budget = storageBudget.Value;
            HttpLogs.StorageUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            var seconds = (int)Math.Ceiling(Math.Max(1, budget.RetryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var detail = $"Storage is unavailable: it failed or did not answer within {budget.RequestTimeout.TotalSeconds:0.#} s. " +
                $"Retry after {seconds} s; a run start is safe to retry with the same Idempotency-Key.";
            await TypedResults.Problem(ProblemResponses.Create(StatusCodes.Status503ServiceUnavailable, detail)).ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }

        var problem = exception switch
        {
            ProblemException p when p.Errors.Count > 0 =>
                ProblemResponses.Create(p.StatusCode, p.Message, [new("errors", p.Errors)]),
            ProblemException p => ProblemResponses.Create(p.StatusCode, p.Message),

            // Binding failures (RouteHandlerOptions.ThrowOnBadRequest): where and what, in the caller's JSON terms.
            BadHttpRequestException { InnerException: JsonException json } bad => JsonBindingProblem.Create(httpContext, bad.StatusCode, json),
            BadHttpRequestException bad => ProblemResponses.Create(bad.StatusCode, JsonBindingProblem.Scrub(bad.Message)),
            _ => null,
        };

        if (problem is null)
        {
            HttpLogs.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = ProblemResponses.Create(StatusCodes.Status500InternalServerError, "An unexpected error occurred; it has been logged.");
        }

        await TypedResults.Problem(problem).ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    private static bool IsStorageOutage(HttpContext context, Exception exception) =>
        exception is OperationCanceledException
            ? context.Features.Get<StorageBudgetFeature>() is { Expired: true } || !context.RequestAborted.IsCancellationRequested
            : StorageOutage.IsOutage(exception);
}
