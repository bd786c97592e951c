using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Approvals;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>Runs: start (idempotently), list, read with steps and outputs, control (pause, resume, cancel, retry, replay), and artifacts.</summary>
/// <remarks>Another tenant's run answers 404, exactly like a run that does not exist.</remarks>
public static partial class RunsEndpoints
{
    /// <summary>The request header that makes <c>POST /v1/runs</c> idempotent.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The response header set when an Idempotency-Key returned an earlier request's run.</summary>
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    /// <summary>Maps <c>/v1/runs</c>.</summary>
    public static IEndpointRouteBuilder MapRunsEndpoints(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/v1/runs").WithTags("Runs").AddEndpointFilter<DomainExceptionFilter>();

        runs.MapPost("", StartAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("StartRun")
            .WithSummary("Start a run of a workflow; an Idempotency-Key header makes retries of this request return the same run")
            .WithMetadata(new LongerStorageBudgetMetadata(RequestedWait))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        runs.MapGet("", ListAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("ListRuns")
            .WithSummary("List runs newest first, filtered by status, workflowId and a created window, a page at a time")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        runs.MapGet("/{runId}", GetAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("GetRun")
            .WithSummary("Read a run: status, input, error, and every step with its output and artifacts; seq (also the ETag) is the last event it includes")
            .AddOpenApiOperationTransformer(RunHeaders.DocumentETagAsync)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{runId}/pause", PauseAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("PauseRun")
            .WithSummary("Pause a running run; steps already executing finish, nothing new starts until it is resumed")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/{runId}/resume", ResumeAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("ResumeRun")
            .WithSummary("Resume a paused run")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/{runId}/cancel", CancelAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("CancelRun")
            .WithSummary("Cancel a run that has not finished; body {reason} is optional")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        runs.MapPost("/{runId}/retry", RetryAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("RetryRun")
            .WithSummary("Run a failed or cancelled run on from its failed or cancelled steps, reusing every completed step")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapPost("/{runId}/replay", ReplayAsync)
            .RequireScope(RatifyScopes.RunsWrite)
            .WithName("ReplayRun")
            .WithSummary("Start a new run that reuses this run's results up to fromStep and executes the rest; dryRun only plans")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        runs.MapGet("/{runId}/artifacts", ListArtifactsAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("ListRunArtifacts")
            .WithSummary("List a run's artifacts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{runId}/artifacts/{stepId}/{name}", GetArtifactAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("GetRunArtifact")
            .WithSummary("Read an artifact: JSON with its content for agents, or the raw bytes when Accept names its media type or ?raw=true")
            .Produces<ArtifactContentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<RunStatusResponse>, Created<RunResponse>>> StartAsync(
        StartRunRequest? request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [FromHeader(Name = "Prefer")] string? prefer,
        string? wait,
        CallerContext caller,
        RunStarter starter,
        [AsParameters] RunReaders readers,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        var waitFor = WaitTime(wait, prefer);
        if (request is null)
        {
            throw new BadRequestProblemException("A JSON body is required: {\"workflowId\": \"…\", \"input\": {…}}.");
        }

        if (idempotencyKey is not null && !IdempotencyStore.IsValidKey(idempotencyKey))
        {
            throw new BadRequestProblemException($"The {IdempotencyKeyHeader} header must be 1 to {IdempotencyStore.MaxKeyLength} printable ASCII characters.");
        }

        var errors = request.Validate();
        if (errors.Count > 0)
        {
            throw new ValidationProblemException(errors);
        }

        var start = new RunStart(caller.TenantId, request.WorkflowId!, request.Version, request.Input, caller.KeyId);
        var result = await starter.StartAsync(start, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (result.Replayed)
        {
            response.Headers[IdempotentReplayedHeader] = "true";
        }

        var location = $"/v1/runs/{result.RunId}";
        if (waitFor > TimeSpan.Zero)
        {
            response.Headers["Preference-Applied"] = "wait=" + ((int)waitFor.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (await readers.Follower.WaitForEndAsync(caller.TenantId, result.RunId, waitFor, cancellationToken).ConfigureAwait(false))
            {
                // The run as it ended, from the snapshot this host wrote with the final event when it did; else from storage.
                var ended = readers.Events.EndedSnapshot(caller.TenantId, result.RunId) is { } snapshot
                    ? await FromSnapshotAsync(snapshot, caller, readers, cancellationToken).ConfigureAwait(false)
                    : await ReadRunAsync(result.RunId, caller, readers, cancellationToken).ConfigureAwait(false);
                return TypedResults.Created(location, ended);
            }
        }

        return TypedResults.Created(location, new RunStatusResponse(result.RunId, result.Status));
    }

    private static async Task<Ok<RunListResponse>> ListAsync(
        CallerContext caller,
        RunStore store,
        string? status,
        string? workflowId,
        string? createdFrom,
        string? createdTo,
        string? limit,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (status is not null && !RunStatuses.All.Contains(status))
        {
            errors.Add($"status must be one of {string.Join(", ", RunStatuses.All.Order(StringComparer.Ordinal))}, not '{status}'");
        }

        if (workflowId is not null && !DefinitionNames.IsWorkflowId(workflowId))
        {
            errors.Add($"workflowId '{workflowId}' is not a workflow id (it must match {DefinitionNames.WorkflowIdPattern})");
        }

        var from = ListQuery.Timestamp(nameof(createdFrom), createdFrom, errors);
        var to = ListQuery.Timestamp(nameof(createdTo), createdTo, errors);
        if (from > to)
        {
            errors.Add("createdFrom must not be later than createdTo");
        }

        var scope = "runs:" + caller.TenantId;
        var query = new RunQuery(status, workflowId, from, to, ListQuery.Limit(limit, errors), ListQuery.ContinuationToken(continuationToken, scope, errors));
        ListQuery.ThrowIfAny(errors);

        var page = await store.ListAsync(caller.TenantId, query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RunListResponse([.. page.Runs.Select(RunSummaryResponse.From)], ListQuery.NextToken(page.ContinuationToken, scope)));
    }

    private static async Task<Ok<RunResponse>> GetAsync(
        string runId, CallerContext caller, [AsParameters] RunReaders readers, HttpResponse response, CancellationToken cancellationToken)
    {
        var run = await ReadRunAsync(runId, caller, readers, cancellationToken).ConfigureAwait(false);

        // The last event the answer includes: a client follows the run's stream from here with no gap.
        response.Headers.ETag = $"\"{run.Seq ?? 0}\"";
        return TypedResults.Ok(run);
    }

    private static async Task<Results<Ok<RunStatusResponse>, Accepted<RunStatusResponse>>> PauseAsync(
        string runId, CallerContext caller, RunView view, RunActions actions, CancellationToken cancellationToken)
    {
        var run = await FindAsync(view, caller, runId, cancellationToken).ConfigureAwait(false);
        var (after, settled) = await actions.PauseAsync(run, $"paused by {caller.KeyId}", AuditActor.Key(caller.KeyId), cancellationToken).ConfigureAwait(false);
        return Answer(after, settled);
    }

    private static async Task<Results<Ok<RunStatusResponse>, Accepted<RunStatusResponse>>> ResumeAsync(
        string runId, CallerContext caller, RunView view, RunActions actions, CancellationToken cancellationToken)
    {
        var run = await FindAsync(view, caller, runId, cancellationToken).ConfigureAwait(false);
        var (after, settled) = await actions.ResumeAsync(run, $"resumed by {caller.KeyId}", AuditActor.Key(caller.KeyId), cancellationToken).ConfigureAwait(false);
        return Answer(after, settled);
    }

    private static async Task<Results<Ok<RunStatusResponse>, Accepted<RunStatusResponse>>> CancelAsync(
        string runId, CancelRunRequest? request, CallerContext caller, RunView view, RunActions actions, CancellationToken cancellationToken)
    {
        if (request?.Reason is { Length: > CancelRunRequest.MaxReasonLength })
        {
            throw new ValidationProblemException("/reason", $"The reason is longer than {CancelRunRequest.MaxReasonLength} characters.");
        }

        var run = await FindAsync(view, caller, runId, cancellationToken).ConfigureAwait(false);
        var (after, settled) = await actions.CancelAsync(run, request?.Reason, AuditActor.Key(caller.KeyId), cancellationToken).ConfigureAwait(false);
        return Answer(after, settled);
    }

    private static async Task<Ok<RunStatusResponse>> RetryAsync(
        string runId, CallerContext caller, RunView view, RunActions actions, CancellationToken cancellationToken)
    {
        var run = await FindAsync(view, caller, runId, cancellationToken).ConfigureAwait(false);
        var after = await actions.RetryAsync(run, AuditActor.Key(caller.KeyId), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RunStatusResponse(after.RunId, after.Status));
    }

    private static async Task<Results<Created<ReplayStartedResponse>, Ok<ReplayPlanResponse>>> ReplayAsync(
        string runId, ReplayRunRequest? request, CallerContext caller, RunView view, WorkflowStore workflows, RunActions actions, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new BadRequestProblemException("A JSON body is required: {\"fromStep\": \"…\"}, optionally with input, dryRun and rerunIrreversible.");
        }

        var run = await FindAsync(view, caller, runId, cancellationToken).ConfigureAwait(false);
        var workflow = await workflows.GetAsync(caller.TenantId, run.Record.WorkflowId, run.Record.Version, cancellationToken).ConfigureAwait(false);
        if (!RunActions.HasStep(workflow, request.FromStep))
        {
            var known = string.Join(", ", workflow.Definition.Steps.Select(s => s.Id));
            throw new ValidationProblemException("/fromStep", request.FromStep is null
                ? $"fromStep is required: one of {known}."
                : $"Workflow '{workflow.Id}' version {workflow.Version} has no step '{request.FromStep}'; its steps are {known}.");
        }

        var replay = new ReplayRequest(request.FromStep!, request.Input, request.DryRun ?? false, request.RerunIrreversible ?? false, caller.KeyId);
        var outcome = await actions.ReplayAsync(run, workflow, replay, cancellationToken).ConfigureAwait(false);
        if (outcome.Started is not { } started)
        {
            return TypedResults.Ok(ReplayPlanResponse.From(outcome.Plan));
        }

        return TypedResults.Created($"/v1/runs/{started.RunId}", new ReplayStartedResponse(started.RunId, started.Status, run.RunId));
    }

    /// <summary>200 when the orchestration took the change within the wait, 202 (with the status as it still is) when it is on its way.</summary>
    private static Results<Ok<RunStatusResponse>, Accepted<RunStatusResponse>> Answer(LiveRun run, bool settled)
    {
        var body = new RunStatusResponse(run.RunId, run.Status);
        return settled ? TypedResults.Ok(body) : TypedResults.Accepted($"/v1/runs/{run.RunId}", body);
    }

    private static async Task<LiveRun> FindAsync(RunView view, CallerContext caller, string runId, CancellationToken cancellationToken) =>
        await view.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);

    private static NotFoundProblemException NoSuchRun(string runId) => new($"There is no run '{runId}' in this tenant.");
}
