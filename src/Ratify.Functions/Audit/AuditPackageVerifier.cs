
namespace Ratify.Functions.Audit;

/// <summary>Verifies an exported audit package with a public key: the same check online (<c>POST /v1/audit/verify</c>) and offline.</summary>
/// <remarks>
/// Depends on nothing but the audit record types and <see cref="AuditPackageReader"/>, so that the offline verifier builds from
/// these files alone. Records are read and checked one at a time: a package of any length verifies in bounded memory.
/// </remarks>
public static class AuditPackageVerifier
{
    /// <summary>The package format this verifier reads.</summary>
    public const string Format = "ratify-audit-package/1";

    private static readonly HashSet<string> FinishedStatuses = new(StringComparer.Ordinal) { "completed", "failed", "cancelled" };

    /// <summary>Verifies the package whose header <paramref name="package"/> has read, streaming its records, against <paramref name="publicKeyPem"/>.</summary>
    /// <exception cref="FormatException">The document is not an audit package of this format.</exception>
    public static async Task<AuditVerification> VerifyAsync(AuditPackageReader package, string publicKeyPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (package.Format != Format)
        {
            throw new FormatException($"Not an audit package: \"format\" must be \"{Format}\".");
        }

        var scope = package.Scope ?? throw new FormatException("The package has no \"scope\" before its records.");
        var checkpoints = (package.Checkpoints ?? throw new FormatException("The package has no \"checkpoints\" array before its records."))
            .Select(c => AuditCheckpoint.FromJson(c ?? throw new FormatException("A checkpoint is null."))).ToList();

        // A finished run's chain ends with its run.finished record, which is signed: anything unsigned after it was added.
        var requireSealed = package.RunStatus is { } status && FinishedStatuses.Contains(status);
        var verifier = new AuditVerifier(publicKeyPem);
        return await verifier.VerifyAsync(scope, package.ReadRecordsAsync(cancellationToken), checkpoints, requireSealed, cancellationToken).ConfigureAwait(false);
    }
}
