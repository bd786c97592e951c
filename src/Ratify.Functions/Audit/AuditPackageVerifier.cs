using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>Verifies an exported audit package with a public key: the same check online (<c>POST /v1/audit/verify</c>) and offline.</summary>
/// <remarks>Depends on nothing but the audit record types, so that the offline verifier builds from these files alone.</remarks>
public static class AuditPackageVerifier
{
    /// <summary>The package format this verifier reads.</summary>
    public const string Format = "ratify-audit-package/1";

    private static readonly HashSet<string> FinishedStatuses = new(StringComparer.Ordinal) { "completed", "failed", "cancelled" };

    /// <summary>Verifies <paramref name="package"/> against <paramref name="publicKeyPem"/>.</summary>
    /// <exception cref="FormatException">The document is not an audit package of this format.</exception>
    public static async Task<AuditVerification> VerifyAsync(JsonNode package, string publicKeyPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package["format"]?.GetValue<string>() != Format)
        {
            throw new FormatException($"Not an audit package: \"format\" must be \"{Format}\".");
        }

        var scope = package["scope"]?.GetValue<string>() ?? throw new FormatException("The package has no \"scope\".");
        var checkpoints = (package["checkpoints"] as JsonArray ?? throw new FormatException("The package has no \"checkpoints\" array."))
            .Select(c => AuditCheckpoint.FromJson(c ?? throw new FormatException("A checkpoint is null."))).ToList();
        var records = package["records"] as JsonArray ?? throw new FormatException("The package has no \"records\" array.");

        // A finished run's chain ends with its run.finished record, which is signed: anything unsigned after it was added.
        var status = package["run"]?["status"]?.GetValue<string>();
        var requireSealed = status is not null && FinishedStatuses.Contains(status);
        var verifier = new AuditVerifier(publicKeyPem);
        return await verifier.VerifyAsync(scope, Read(records), checkpoints, requireSealed, cancellationToken).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<AuditRecord> Read(JsonArray records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var node in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return AuditRecord.FromJson(node ?? throw new FormatException("A record is null."));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
