using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>Administration of the caller's tenant: the retention purge of finished runs (admin keys only).</summary>
public static class AdminEndpoints
{
    /// <summary>Maps <c>/v1/admin</c>.</summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/v1/admin").WithTags("Admin").RequireScope(RatifyScopes.Admin).AddEndpointFilter<DomainExceptionFilter>();
        admin.MapPost("/purge", PurgeAsync)
            .WithName("PurgeRuns")
            .WithSummary("Delete finished runs' records for retention (runs finished before finishedBefore, or only the runIds named); each leaves a run.purged tombstone in the tenant audit log")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Ok<PurgeRunsResponse>> PurgeAsync(
        PurgeRunsRequest? request, CallerContext caller, RunStore runs, RunPurger purger, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new BadRequestProblemException("A JSON body is required: {\"finishedBefore\": \"2026-01-01T00:00:00Z\", \"runIds\": [\"…\"]} (runIds optional).");
        }

        var errors = request.Validate(out var cutoff);
        if (errors.Count > 0)
        {
            throw new ValidationProblemException(errors);
        }

        // Every named run is checked before any is purged: a refused request deletes nothing.
        List<RunRecord> selected;
        var more = false;
        if (request.RunIds is { } runIds)
        {
            selected = [];
            foreach (var runId in runIds.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var run = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false)
                    ?? throw new NotFoundProblemException($"Run {runId} was not found.");
                if (!RunStatuses.IsTerminal(run.Status))
                {
                    throw new ConflictProblemException($"Run {runId} is {run.Status}; only finished runs can be purged.");
                }

                if (run.CompletedAt is not { } finished || finished >= cutoff)
                {
                    throw new ConflictProblemException($"Run {runId} finished at {run.CompletedAt:O}, not before {cutoff:O}; nothing was purged.");
                }

                selected.Add(run);
            }
        }
        else
        {
            selected = [.. await runs.ListFinishedBeforeAsync(caller.TenantId, cutoff, PurgeRunsRequest.MaxRuns + 1, cancellationToken).ConfigureAwait(false)];
            more = selected.Count > PurgeRunsRequest.MaxRuns;
            selected = selected.Take(PurgeRunsRequest.MaxRuns).ToList();
        }

        var purged = new List<RunPurge>(selected.Count);
        foreach (var run in selected)
        {
            purged.Add(await purger.PurgeAsync(run, AuditActor.Key(caller.KeyId), cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(new PurgeRunsResponse(purged, more));
    }
}
