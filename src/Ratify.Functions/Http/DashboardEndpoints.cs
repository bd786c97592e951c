using System.Globalization;
using System.Text.Json;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Rendering;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>
/// The runs dashboard served at <c>/</c> (static files under a strict policy), and the two reads it needs beyond the API: an
/// artifact rendered for people on the server, and the diff of two workflow versions.
/// </summary>
/// <remarks>The page's script never renders untrusted content itself: it asks the server for the sanitised fragment.</remarks>
public static class DashboardEndpoints
{
    private static readonly JsonSerializerOptions Indented = new(WorkflowJson.Options) { WriteIndented = true };

    /// <summary>Serves <c>index.html</c> at <c>/</c> and marks the dashboard's files with its headers. Call before <c>UseStaticFiles</c>.</summary>
    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app)
    {
        app.UseMiddleware<DashboardHeadersMiddleware>();
        app.UseDefaultFiles();
        return app;
    }

    /// <summary>Maps <c>GET /v1/runs/{runId}/artifacts/{stepId}/{name}/rendered</c> and <c>GET /v1/workflows/{id}/diff</c>.</summary>
    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/runs/{runId}/artifacts/{stepId}/{name}/rendered", RenderArtifactAsync)
            .WithTags("Runs")
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("RenderRunArtifact")
            .WithSummary("An artifact rendered for people as a sanitised HTML fragment (markdown, HTML, pretty JSON, email), as the approver page shows it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/v1/workflows/{id}/diff", DiffAsync)
            .WithTags("Workflows")
            .RequireScope(RatifyScopes.RunsRead)
            .AddEndpointFilter<DomainExceptionFilter>()
            .WithName("DiffWorkflowVersions")
            .WithSummary("The line diff between two versions of a workflow (?from=N&to=M), over their definitions pretty-printed")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<RenderedArtifactResponse>> RenderArtifactAsync(
        string runId, string stepId, string name, CallerContext caller, RunStore runs, StepResultStore results, ArtifactHtmlRenderer renderer,
        HttpResponse response, CancellationToken cancellationToken)
    {
        _ = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundProblemException($"There is no run '{runId}' in this tenant.");

        // Names outside the definition's alphabet cannot exist, and must not reach a table key.
        var found = DefinitionNames.IsStepId(stepId) && DefinitionNames.IsArtifactName(name)
            ? await results.GetArtifactAsync(runId, stepId, name, cancellationToken).ConfigureAwait(false)
            : null;
        if (found is not var (info, content))
        {
            throw new NotFoundProblemException($"Run '{runId}' has no artifact '{name}' from step '{stepId}'.");
        }

        var text = ArtifactHtmlRenderer.TextOf(info.Type, info.MediaType, content.ToMemory().Span);
        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RenderedArtifactResponse(info.StepId, info.Name, info.Type, info.MediaType, info.Size, info.Sha256, info.CreatedAt,
            renderer.Render(info.Type, info.MediaType, info.Size, text)));
    }

    private static async Task<Ok<WorkflowDiffResponse>> DiffAsync(
        string id, string? from, string? to, CallerContext caller, WorkflowStore store, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var fromVersion = Version(nameof(from), from, errors);
        var toVersion = Version(nameof(to), to, errors);
        ListQuery.ThrowIfAny(errors);
        if (!DefinitionNames.IsWorkflowId(id))
        {
            throw new WorkflowNotFoundException(id);
        }

        var older = store.GetAsync(caller.TenantId, id, fromVersion, cancellationToken);
        var newer = store.GetAsync(caller.TenantId, id, toVersion, cancellationToken);
        await Task.WhenAll(older, newer).ConfigureAwait(false);
        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(Text(await older.ConfigureAwait(false)), Text(await newer.ConfigureAwait(false)), ignoreWhitespace: false);

        var lines = new List<WorkflowDiffLine>(model.Lines.Count);
        int fromLine = 0, toLine = 0;
        foreach (var line in model.Lines)
        {
            lines.Add(line.Type switch
            {
                ChangeType.Inserted => new WorkflowDiffLine("added", null, ++toLine, line.Text),
                ChangeType.Deleted => new WorkflowDiffLine("removed", ++fromLine, null, line.Text),
                _ => new WorkflowDiffLine("same", ++fromLine, ++toLine, line.Text),
            });
        }

        return TypedResults.Ok(new WorkflowDiffResponse(id, fromVersion, toVersion, lines.Count(l => l.Change == "added"), lines.Count(l => l.Change == "removed"), lines));
    }

    private static string Text(StoredWorkflow workflow) => JsonSerializer.Serialize(workflow.Definition, Indented);

    private static int Version(string name, string? value, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{name} is required: a version number (1, 2, …)");
            return 0;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            errors.Add($"{name} must be a version number (1, 2, …), not '{value}'");
        }

        return version;
    }
}
