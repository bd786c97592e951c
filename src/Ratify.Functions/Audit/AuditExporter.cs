using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Audit;

/// <summary>Writes a run's audit package: the run, its definition and input, steps, output digests, artifacts, every audit record,
/// the signed checkpoints, the public key and how to verify, as one JSON document streamed to the caller.</summary>
/// <remarks>
/// Records are written as they are read, a page at a time, and flushed every <see cref="FlushEvery"/> records, so a chain of
/// any length exports in bounded memory. Records come last so that a verifier can stream them too.
/// </remarks>
public sealed class AuditExporter(WorkflowStore workflows, StepResultStore results, StepAttemptResultStore attemptResults, AuditReader reader, AuditSigner signer, TimeProvider time)
{
    /// <summary>The package format written in <c>format</c>.</summary>
    public const string Format = AuditPackageVerifier.Format;

    private const int FlushEvery = 200;

    /// <summary>How to verify a package, written into it.</summary>
    public const string HowToVerify =
        "Each record's hash is SHA-256 (hex) over the RFC 8785 canonical JSON of its fields other than 'hash'; each record's " +
        "previousHash is the hash of the record before it (64 zeros for sequence 1), and sequences run from 1 without gaps. " +
        "Each checkpoint's signature is ECDSA P-256 with SHA-256 (IEEE P1363, base64) over the canonical JSON of its fields other " +
        "than 'signature', by the key whose SHA-256 of its SubjectPublicKeyInfo is keyId; the record at the checkpoint's sequence " +
        "must carry the signed hash. Fetch the public key from GET /v1/audit/public-key (do not trust only the copy in this " +
        "package) and run: Ratify.AuditVerify <package.json> --public-key <key.pem>.";

    /// <summary>Writes the package of <paramref name="run"/> to <paramref name="stream"/>.</summary>
    public async Task WriteAsync(LiveRun run, bool includeArtifactContent, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var record = run.Record;
        var scope = AuditScopes.Run(record.TenantId, record.RunId);
        var definition = await workflows.GetDefinitionAsync(record.TenantId, record.WorkflowId, record.Version, cancellationToken).ConfigureAwait(false);
        var outputs = await results.GetOutputsAsync(record.RunId, cancellationToken).ConfigureAwait(false);
        var artifacts = await results.ListArtifactsAsync(record.RunId, cancellationToken).ConfigureAwait(false);
        var attempts = (await attemptResults.ListAsync(record.RunId, cancellationToken).ConfigureAwait(false)).ToLookup(a => a.StepId, StringComparer.Ordinal);
        var checkpoints = await reader.CheckpointsAsync(scope, cancellationToken).ConfigureAwait(false);

        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteString("exportedAt", time.GetUtcNow());
        writer.WriteString("scope", scope);
        writer.WritePropertyName("run");
        RunJson(run).WriteTo(writer);
        writer.WritePropertyName("definition");
        JsonSerializer.SerializeToNode(definition, WorkflowJson.Options)!.WriteTo(writer);
        writer.WritePropertyName("input");
        WriteNode(writer, record.Input);

        writer.WriteStartArray("steps");
        foreach (var step in definition.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString("id", step.Id);
            if (run.Progress?.Steps.TryGetValue(step.Id, out var progress) == true)
            {
                writer.WriteString("status", progress.Status);
                writer.WriteNumber("attempts", progress.Attempts);
            }
            else
            {
                // Nothing recorded of its progress: say so rather than guess. Every attempt is in the records below.
                writer.WriteNull("status");
            }

            if (outputs.TryGetValue(step.Id, out var output))
            {
                writer.WriteString("outputSha256", JsonCanonicalizer.Sha256(output));
            }

            // Every attempt that stored a result, as it stored it: a retry or replay adds entries and never changes one.
            writer.WriteStartArray("attemptResults");
            foreach (var attempt in attempts[step.Id])
            {
                WriteAttempt(writer, attempt);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("artifacts");
        foreach (var artifact in artifacts)
        {
            writer.WriteStartObject();
            writer.WriteString("stepId", artifact.StepId);
            writer.WriteString("name", artifact.Name);
            writer.WriteString("type", artifact.Type);
            writer.WriteString("mediaType", artifact.MediaType);
            writer.WriteNumber("size", artifact.Size);
            writer.WriteString("sha256", artifact.Sha256);
            if (includeArtifactContent && await results.GetArtifactAsync(record.RunId, artifact.StepId, artifact.Name, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                writer.WriteBase64String("content", stored.Content.ToMemory().Span);
            }

            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.WriteEndArray();

        writer.WriteStartArray("checkpoints");
        foreach (var checkpoint in checkpoints)
        {
            checkpoint.ToJson().WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("publicKey", signer.PublicKeyPem);
        writer.WriteString("howToVerify", HowToVerify);

        writer.WriteStartArray("records");
        var written = 0;
        await foreach (var entry in reader.StreamAsync(scope, 0, cancellationToken).ConfigureAwait(false))
        {
            entry.ToJson().WriteTo(writer);
            if (++written % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteAttempt(Utf8JsonWriter writer, StepAttemptResult attempt)
    {
        writer.WriteStartObject();
        writer.WriteNumber("attempt", attempt.Attempt);
        writer.WriteNumber("execution", attempt.Execution);
        if (attempt.ScheduledAt is { } scheduledAt)
        {
            writer.WriteString("scheduledAt", scheduledAt);
        }

        writer.WriteString("recordedAt", attempt.RecordedAt);
        writer.WriteString("outputSha256", attempt.OutputSha256);
        writer.WriteStartArray("artifacts");
        foreach (var artifact in attempt.Artifacts)
        {
            writer.WriteStartObject();
            writer.WriteString("name", artifact.Name);
            writer.WriteString("type", artifact.Type);
            writer.WriteNumber("size", artifact.Size);
            writer.WriteString("sha256", artifact.Sha256);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static JsonObject RunJson(LiveRun run) => new()
    {
        ["runId"] = run.RunId,
        ["tenantId"] = run.Record.TenantId,
        ["workflowId"] = run.Record.WorkflowId,
        ["version"] = run.Record.Version,
        // The row's status: it turns final only after the chain is sealed, so a package that says finished is sealed.
        ["status"] = run.Record.Status,
        ["createdAt"] = run.Record.CreatedAt,
        ["completedAt"] = run.CompletedAt,
        ["createdBy"] = run.Record.CreatedBy,
        ["replayOf"] = run.Record.ReplayOf,
        ["error"] = run.Error is { } error ? new JsonObject { ["code"] = error.Code, ["message"] = error.Message } : null,
    };

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
