using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ratify.Functions.Audit;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>The audit trail: a run's records and export, the tenant's records, verification, and the checkpoint public key.</summary>
/// <remarks>Another tenant's run answers 404; the tenant query reads only the caller's tenant.</remarks>
public static class AuditEndpoints
{
    /// <summary>Maps <c>/v1/audit</c> and <c>/v1/runs/{runId}/audit|export</c>.</summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/v1/audit").WithTags("Audit");
        audit.MapGet("/public-key", GetPublicKey)
            .AllowAnonymous()
            .WithName("GetAuditPublicKey")
            .WithSummary("The public key (PEM) that verifies every signed audit checkpoint");
        audit.MapGet("", QueryAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("QueryAudit")
            .WithSummary("The tenant's audit records (runs and tenant log), filtered by from, to, type and actor (kind or kind:id), a page at a time")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        audit.MapPost("/verify", VerifyAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("VerifyAudit")
            .WithSummary("Verify an exported audit package, or a stored chain ({\"runId\": …} or {\"scope\": \"log\"}); names the first record that fails")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var runs = app.MapGroup("/v1/runs").WithTags("Audit");
        runs.MapGet("/{runId}/audit", GetRunAuditAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("GetRunAudit")
            .WithSummary("A run's audit records in order after ?after=sequence, a page at a time, with its signed checkpoints")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/{runId}/export", ExportAsync)
            .RequireScope(RatifyScopes.RunsRead)
            .WithName("ExportRun")
            .WithSummary("The run's audit package (streamed); ?artifacts=inline includes artifact content")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static Ok<JsonObject> GetPublicKey(AuditSigner signer) =>
        TypedResults.Ok(new JsonObject { ["algorithm"] = "ES256", ["keyId"] = signer.KeyId, ["publicKey"] = signer.PublicKeyPem });

    private static async Task<Ok<JsonObject>> GetRunAuditAsync(
        string runId, string? after, string? limit, CallerContext caller, RunStore runs, AuditReader reader, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var from = 0L;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            errors.Add($"after must be a record sequence (a whole number), not '{after}'");
        }

        var size = ListQuery.Limit(limit, errors);
        ListQuery.ThrowIfAny(errors);
        var run = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);
        var scope = AuditScopes.Run(run.TenantId, run.RunId);
        var records = await reader.ReadAsync(scope, from, size, cancellationToken).ConfigureAwait(false);
        var checkpoints = await reader.CheckpointsAsync(scope, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject
        {
            ["scope"] = scope,
            ["records"] = new JsonArray([.. records.Select(r => r.ToJson())]),
            ["checkpoints"] = new JsonArray([.. checkpoints.Select(c => c.ToJson())]),
            ["next"] = records.Count == size ? $"/v1/runs/{runId}/audit?after={records[^1].Sequence}&limit={size}" : null,
        });
    }

    private static async Task<Ok<JsonObject>> QueryAsync(
        string? from, string? to, string? type, string? actor, string? limit, string? continuationToken,
        CallerContext caller, AuditReader reader, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var fromTime = ListQuery.Timestamp(nameof(from), from, errors);
        var toTime = ListQuery.Timestamp(nameof(to), to, errors);
        if (fromTime > toTime)
        {
            errors.Add("from must not be later than to");
        }

        AuditActor? who = null;
        if (actor is not null)
        {
            var parts = actor.Split(':', 2);
            if (!AuditActor.IsKnownKind(parts[0]))
            {
                errors.Add($"actor must be key, approver, hook, schedule or system, optionally followed by ':' and an id (key:key_…), not '{actor}'");
            }
            else
            {
                who = new AuditActor(parts[0], parts.Length > 1 ? parts[1] : null);
            }
        }

        if (type is { Length: > 100 })
        {
            errors.Add("type is longer than 100 characters");
        }

        var query = new AuditQuery(fromTime, toTime, type, who, ListQuery.Limit(limit, errors), continuationToken);
        ListQuery.ThrowIfAny(errors);
        var page = await reader.QueryAsync(caller.TenantId, query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject
        {
            ["records"] = new JsonArray([.. page.Records.Select(r => r.ToJson())]),
            ["continuationToken"] = page.ContinuationToken,
        });
    }

    private static async Task<PushStreamHttpResult> ExportAsync(
        string runId, string? artifacts, CallerContext caller, RunView view, AuditExporter exporter, CancellationToken cancellationToken)
    {
        if (artifacts is not (null or "inline" or "digest"))
        {
            throw new BadRequestProblemException($"Invalid query: artifacts must be inline or digest, not '{artifacts}'.");
        }

        var run = await view.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);
        return TypedResults.Stream(
            stream => exporter.WriteAsync(run, artifacts == "inline", stream, cancellationToken),
            "application/json",
            $"{runId}.audit.json");
    }

    private static async Task<Ok<JsonObject>> VerifyAsync(
        HttpRequest request, CallerContext caller, RunStore runs, AuditReader reader, AuditSigner signer, CancellationToken cancellationToken)
    {
        // Read as a stream: a package's records are verified one at a time, never held whole.
        var body = new AuditPackageReader(request.Body);
        try
        {
            await body.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw new BadRequestProblemException($"The body cannot be read: {e.Message}");
        }

        AuditVerification result;
        if (body.Format is not null)
        {
            try
            {
                result = await AuditPackageVerifier.VerifyAsync(body, signer.PublicKeyPem, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new BadRequestProblemException($"The package cannot be read: {e.Message}");
            }
        }
        else if (body.RunId is { } runId)
        {
            var run = await runs.GetAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false) ?? throw NoSuchRun(runId);
            result = await VerifyStoredAsync(AuditScopes.Run(run.TenantId, run.RunId), RunStatuses.IsTerminal(run.Status), reader, signer, cancellationToken).ConfigureAwait(false);
        }
        else if (body.Scope == "log")
        {
            result = await VerifyStoredAsync(AuditScopes.Tenant(caller.TenantId), false, reader, signer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new BadRequestProblemException("Send an exported audit package, {\"runId\": \"…\"} for a run's stored chain, or {\"scope\": \"log\"} for the tenant log.");
        }

        return TypedResults.Ok(JsonSerializer.SerializeToNode(result, JsonSerializerOptions.Web)!.AsObject());
    }

    private static async Task<AuditVerification> VerifyStoredAsync(string scope, bool requireSealed, AuditReader reader, AuditSigner signer, CancellationToken cancellationToken)
    {
        var checkpoints = await reader.CheckpointsAsync(scope, cancellationToken).ConfigureAwait(false);
        return await new AuditVerifier(signer.PublicKeyPem).VerifyAsync(scope, reader.StreamAsync(scope, 0, cancellationToken), checkpoints, requireSealed, cancellationToken)
            .ConfigureAwait(false);
    }

    private static NotFoundProblemException NoSuchRun(string runId) => new($"There is no run '{runId}' in this tenant.");
}
