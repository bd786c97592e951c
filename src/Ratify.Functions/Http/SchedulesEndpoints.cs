using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Security;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>The cron schedules of the caller's tenant: list them with their last and next ticks, pause and resume one.</summary>
public static class SchedulesEndpoints
{
    /// <summary>Maps <c>/v1/schedules</c>.</summary>
    public static IEndpointRouteBuilder MapSchedulesEndpoints(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/v1/schedules").WithTags("Schedules");
        schedules.MapGet("", ListAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("ListSchedules")
            .WithSummary("List the cron schedules of the tenant's workflows with their last and next ticks");
        schedules.MapPost("/{workflowId}/{trigger:int}/pause", (string workflowId, int trigger, CallerContext caller, ScheduleStore store, ScheduleEvaluator evaluator, CancellationToken cancellationToken) =>
                SetPausedAsync(workflowId, trigger, paused: true, caller, store, evaluator, cancellationToken))
            .RequireScope(RatifyScopes.WorkflowsWrite)
            .WithName("PauseSchedule")
            .WithSummary("Pause a schedule: its ticks start no runs until it is resumed")
            .ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapPost("/{workflowId}/{trigger:int}/resume", (string workflowId, int trigger, CallerContext caller, ScheduleStore store, ScheduleEvaluator evaluator, CancellationToken cancellationToken) =>
                SetPausedAsync(workflowId, trigger, paused: false, caller, store, evaluator, cancellationToken))
            .RequireScope(RatifyScopes.WorkflowsWrite)
            .WithName("ResumeSchedule")
            .WithSummary("Resume a paused schedule from its next tick; ticks while it was paused are not caught up")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<ScheduleListResponse>> ListAsync(CallerContext caller, ScheduleStore store, ScheduleEvaluator evaluator, CancellationToken cancellationToken)
    {
        var now = evaluator.Clock.GetUtcNow();
        var rows = await store.ListAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ScheduleListResponse([.. rows.Select(r => ScheduleResponse.From(r, now)).OfType<ScheduleResponse>()]));
    }

    private static async Task<Ok<ScheduleResponse>> SetPausedAsync(
        string workflowId, int trigger, bool paused, CallerContext caller, ScheduleStore store, ScheduleEvaluator evaluator, CancellationToken cancellationToken)
    {
        var notFound = $"Workflow '{workflowId}' has no cron trigger at index {trigger}.";
        if (!DefinitionNames.IsWorkflowId(workflowId) || trigger < 0)
        {
            throw new NotFoundProblemException(notFound);
        }

        var now = evaluator.Clock.GetUtcNow();
        var schedule = await store.SetPausedAsync(caller.TenantId, workflowId, trigger, paused, now, cancellationToken).ConfigureAwait(false);
        return schedule is not null && ScheduleResponse.From(schedule, now) is { } response
            ? TypedResults.Ok(response)
            : throw new NotFoundProblemException(notFound);
    }
}
