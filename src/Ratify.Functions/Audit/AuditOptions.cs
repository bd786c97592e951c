namespace Ratify.Functions.Audit;

/// <summary>Audit settings, bound from <c>Ratify:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Ratify:Audit";

    /// <summary>
    /// The checkpoint signing key: an EC P-256 private key in PEM (<c>Ratify__Audit__SigningKey</c>). Default: none, and then
    /// a development key is generated into <see cref="DevelopmentKeyPath"/> and a warning is logged at start.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Where the development signing key is kept when <see cref="SigningKey"/> is not set. Default: <c>ratify-audit-dev-key.pem</c>
    /// in the user's local application data folder, outside the storage account and the repository.
    /// </summary>
    public string? DevelopmentKeyPath { get; set; }

    /// <summary>A chain's head is signed every this many records as well as at run end. Default: 100.</summary>
    public int CheckpointEvery { get; set; } = 100;

    /// <summary>
    /// A chain's head is also signed by the first record appended this long after its last checkpoint (or after its first
    /// record), so a slow chain such as a tenant log is signed by time as well as by count. Default: 1 hour (zero = off).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromHours(1);
}
