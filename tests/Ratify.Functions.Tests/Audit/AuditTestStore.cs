using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Audit;
using Ratify.Functions.Storage;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>The audit trail's parts on a fresh hub of the shared Azurite, signed with a key of their own.</summary>
internal sealed class AuditTestStore(AzuriteFixture azurite, int checkpointEvery) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _hub = TestNames.NewHub();

    public AuditSigner Signer() => new(
        Options.Create(new AuditOptions { SigningKey = _key.ExportECPrivateKeyPem(), CheckpointEvery = checkpointEvery }), NullLogger<AuditSigner>.Instance);

    public AuditTrail Trail(AuditSigner signer) => new(Tables(), Blobs(), signer, Options.Create(new AuditOptions { CheckpointEvery = checkpointEvery }), TimeProvider.System);

    public AuditReader Reader() => new(Tables(), Blobs());

    public AppTables Tables() => new(new TableServiceClient(azurite.ConnectionString), _hub);

    public AppBlobs Blobs() => new(new BlobServiceClient(azurite.ConnectionString), _hub);

    public void Dispose() => _key.Dispose();
}
