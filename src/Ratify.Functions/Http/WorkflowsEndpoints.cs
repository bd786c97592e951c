using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>Workflow definitions: create, version, read, list and archive, all within the caller's tenant.</summary>
public static class WorkflowsEndpoints
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    // Duplicate names would make the definition ambiguous; the parser reports every other problem.
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Maps <c>/v1/workflows</c>.</summary>
    public static IEndpointRouteBuilder MapWorkflowsEndpoints(this IEndpointRouteBuilder app)
    {
        var workflows = app.MapGroup("/v1/workflows").WithTags("Workflows").AddEndpointFilter<DomainExceptionFilter>();

        workflows.MapPost("", CreateAsync)
            .RequireScope(RatifyScopes.WorkflowsWrite)
            .WithName("CreateWorkflow")
            .WithSummary("Create a workflow from its definition (version 1)")
            .Accepts<JsonObject>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workflows.MapPut("/{id}", AddVersionAsync)
            .RequireScope(RatifyScopes.WorkflowsWrite)
            .WithName("UpdateWorkflow")
            .WithSummary("Store a new version of a workflow; runs already started keep the version they pinned")
            .Accepts<JsonObject>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workflows.MapGet("", ListAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("ListWorkflows")
            .WithSummary("List the tenant's workflows in id order, a page at a time")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        workflows.MapGet("/{id}", GetAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("GetWorkflow")
            .WithSummary("Read a workflow's definition: the latest version, or the one named by ?version=N")
            .ProducesProblem(StatusCodes.Status404NotFound);
        workflows.MapDelete("/{id}", ArchiveAsync)
            .RequireScope(RatifyScopes.WorkflowsWrite)
            .WithName("ArchiveWorkflow")
            .WithSummary("Archive a workflow: its runs keep working, new runs and versions are refused")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Created<WorkflowResponse>> CreateAsync(
        HttpRequest request, CallerContext caller, WorkflowDefinitionParser parser, WorkflowStore store, WorkflowSchedules schedules, AuditTrail audit,
        CancellationToken cancellationToken)
    {
        var body = await ReadDefinitionAsync(request, cancellationToken).ConfigureAwait(false);
        var definition = Parse(parser, body, []);
        var stored = await store.CreateAsync(caller.TenantId, definition, cancellationToken).ConfigureAwait(false);
        await RecordVersionAsync(audit, caller, stored).ConfigureAwait(false);
        await schedules.ApplyAsync(caller.TenantId, stored, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Created($"/v1/workflows/{stored.Id}", WorkflowResponse.From(stored));
    }

    private static async Task<Ok<WorkflowResponse>> AddVersionAsync(
        string id, int? expectedVersion, HttpRequest request, CallerContext caller, WorkflowDefinitionParser parser, WorkflowStore store, WorkflowSchedules schedules,
        AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!DefinitionNames.IsWorkflowId(id))
        {
            throw new WorkflowNotFoundException(id);
        }

        var body = await ReadDefinitionAsync(request, cancellationToken).ConfigureAwait(false);
        var errors = new List<ProblemError>();
        if (body is JsonObject definitionObject)
        {
            // The route names the workflow: a body id may repeat it, never contradict it.
            if (definitionObject.TryGetPropertyValue("id", out var bodyId) && (bodyId is not JsonValue value || !value.TryGetValue<string>(out var text) || text != id))
            {
                errors.Add(new ProblemError("/id", $"the id in the body must be '{id}' (the workflow named in the URL) or be left out"));
            }

            definitionObject["id"] = id;
        }

        var definition = Parse(parser, body, errors);
        var stored = await store.AddVersionAsync(caller.TenantId, definition, expectedVersion, cancellationToken).ConfigureAwait(false);
        await RecordVersionAsync(audit, caller, stored).ConfigureAwait(false);
        await schedules.ApplyAsync(caller.TenantId, stored, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Ok(WorkflowResponse.From(stored));
    }

    private static async Task<Ok<WorkflowListResponse>> ListAsync(
        CallerContext caller, WorkflowStore store, string? limit, string? continuationToken, string? includeArchived, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var pageSize = ListQuery.Limit(limit, errors);
        var archived = ListQuery.Flag(nameof(includeArchived), includeArchived, fallback: false, errors);
        var scope = "workflows:" + caller.TenantId;
        var continuation = ListQuery.ContinuationToken(continuationToken, scope, errors);
        ListQuery.ThrowIfAny(errors);

        var page = await store.ListAsync(caller.TenantId, pageSize, continuation, archived, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new WorkflowListResponse(page.Items, ListQuery.NextToken(page.ContinuationToken, scope)));
    }

    private static async Task<Ok<WorkflowResponse>> GetAsync(
        string id, int? version, CallerContext caller, WorkflowStore store, CancellationToken cancellationToken)
    {
        if (!DefinitionNames.IsWorkflowId(id))
        {
            throw new WorkflowNotFoundException(id);
        }

        var stored = await store.GetAsync(caller.TenantId, id, version, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(WorkflowResponse.From(stored));
    }

    private static async Task<NoContent> ArchiveAsync(
        string id, CallerContext caller, WorkflowStore store, WorkflowSchedules schedules, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (!DefinitionNames.IsWorkflowId(id))
        {
            throw new WorkflowNotFoundException(id);
        }

        await store.ArchiveAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(AuditScopes.Tenant(caller.TenantId), AuditTypes.WorkflowArchived, AuditActor.Key(caller.KeyId),
            new JsonObject { ["workflowId"] = id }, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await schedules.EndAsync(caller.TenantId, id, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    // Not cancellable: the version is stored, its record must follow.
    private static Task RecordVersionAsync(AuditTrail audit, CallerContext caller, StoredWorkflow stored) =>
        audit.AppendAsync(AuditScopes.Tenant(caller.TenantId), AuditTypes.WorkflowVersionCreated, AuditActor.Key(caller.KeyId), new JsonObject
        {
            ["workflowId"] = stored.Id,
            ["version"] = stored.Version,
            ["definitionSha256"] = JsonCanonicalizer.Sha256(RunLauncher.DefinitionJson(stored.Definition)),
        }, $"workflow/{stored.Id}/{stored.Version}", CancellationToken.None);

    /// <summary>Reads the body as JSON; a body that is not JSON at all is a 400, anything JSON goes to the parser.</summary>
    private static async Task<JsonNode?> ReadDefinitionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new BadRequestProblemException("The body must be a workflow definition sent as application/json.");
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body, NodeOptions, DocumentOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new BadRequestProblemException("The body is not valid JSON: " + e.Message);
        }
    }

    private static WorkflowDefinition Parse(WorkflowDefinitionParser parser, JsonNode? body, List<ProblemError> errors)
    {
        var result = parser.Parse(body);
        errors.AddRange(result.Errors.Select(e => new ProblemError(e.Pointer, e.Message)));
        return errors.Count > 0 || result.Definition is null
            ? throw new ValidationProblemException(errors.Count > 0 ? errors : [new ProblemError("", "the definition is not valid")])
            : result.Definition;
    }
}
