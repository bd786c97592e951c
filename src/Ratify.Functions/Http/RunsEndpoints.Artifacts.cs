using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>The artifact handlers of <see cref="RunsEndpoints"/>.</summary>
public static partial class RunsEndpoints
{
    private static async Task<Ok<ArtifactListResponse>> ListArtifactsAsync(
        string runId, CallerContext caller, RunStore runs, StepResultStore results, CancellationToken cancellationToken)
    {
        _ = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);
        var artifacts = await results.ListArtifactsAsync(runId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ArtifactListResponse([.. artifacts.Select(a => ArtifactResponse.From(runId, a))]));
    }

    private static async Task<Results<Ok<ArtifactContentResponse>, FileContentHttpResult>> GetArtifactAsync(
        string runId,
        string stepId,
        string name,
        string? raw,
        CallerContext caller,
        RunStore runs,
        StepResultStore results,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var asRaw = ListQuery.Flag(nameof(raw), raw, fallback: false, errors);
        ListQuery.ThrowIfAny(errors);

        _ = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);

        // Names outside the definition's alphabet cannot exist, and must not reach a table key.
        var found = DefinitionNames.IsStepId(stepId) && DefinitionNames.IsArtifactName(name)
            ? await results.GetArtifactAsync(runId, stepId, name, cancellationToken).ConfigureAwait(false)
            : null;
        if (found is not var (info, content))
        {
            throw new NotFoundProblemException($"Run '{runId}' has no artifact '{name}' from step '{stepId}'.");
        }

        if (!asRaw && !AcceptsRaw(context.Request, info.MediaType))
        {
            return TypedResults.Ok(ArtifactContentResponse.From(info, content));
        }

        // Artifacts hold whatever steps produced: never let a browser run or sniff them on the API's origin.
        var headers = context.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = "sandbox; default-src 'none'";
        return TypedResults.File(content.ToArray(), info.MediaType, entityTag: new EntityTagHeaderValue($"\"{info.Sha256}\""));
    }

    /// <summary>
    /// True when Accept names the artifact's media type (or its <c>type/*</c>) explicitly. <c>*/*</c> and
    /// <c>application/json</c> get the JSON envelope, so a JSON artifact comes raw only with <c>?raw=true</c>.
    /// </summary>
    private static bool AcceptsRaw(HttpRequest request, string artifactMediaType)
    {
        if (!MediaTypeHeaderValue.TryParse(artifactMediaType, out var artifact))
        {
            return false;
        }

        var accepted = request.GetTypedHeaders().Accept;
        return accepted.Any(a =>
            a.Quality is not 0
            && !a.MatchesAllTypes
            && !a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && artifact.IsSubsetOf(new MediaTypeHeaderValue(a.MediaType)));
    }
}
