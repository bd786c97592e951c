using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Audit;
using Ratify.Functions.Storage;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class AuditTrailTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _hub = TestNames.NewHub();

    [Fact]
    public async Task Concurrent_appends_from_two_hosts_never_fork_the_chain()
    {
        using var signer = Signer();
        var first = Trail(signer);
        var second = Trail(signer);
        const string scope = "default/runs/concurrent";

        // 40 writers on two "hosts" (two trails over separate clients) race for the same head.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync(scope, "test.event", AuditActor.System, new JsonObject { ["i"] = i }, cancellationToken: _timeout.Token)));

        var reader = Reader();
        var records = await reader.ReadAsync(scope, 0, 100, _timeout.Token);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(40, records.Select(r => r.Data!["i"]!.GetValue<int>()).Distinct().Count());
        var checkpoints = await reader.CheckpointsAsync(scope, _timeout.Token);
        Assert.Equal([10L, 20L, 30L, 40L], checkpoints.Select(c => c.Sequence));
        var result = await new AuditVerifier(signer.PublicKeyPem).VerifyAsync(scope, reader.StreamAsync(scope, 0, _timeout.Token), checkpoints, requireSealed: true, _timeout.Token);
        Assert.True(result.Valid, result.Message);
    }

    [Fact]
    public async Task An_append_with_a_record_id_is_written_once_however_often_it_runs()
    {
        using var signer = Signer();
        var trail = Trail(signer);
        const string scope = "default/runs/idempotent";

        var appends = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            trail.AppendAsync(scope, "step.attempt.completed", AuditActor.System, new JsonObject { ["stepId"] = "a" }, "step/x/a/1/ended", _timeout.Token)));
        await trail.AppendAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);

        Assert.Single(appends.Select(a => a.Sequence).Distinct());
        var records = await Reader().ReadAsync(scope, 0, 100, _timeout.Token);
        Assert.Equal(["step.attempt.completed", "run.finished"], records.Select(r => r.Type));
    }

    [Fact]
    public async Task Seal_signs_the_head_once_and_reading_after_a_sequence_pages_the_chain()
    {
        using var signer = Signer();
        var trail = Trail(signer);
        const string scope = "default/log";
        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(scope, "key.created", AuditActor.Key("key_1"), new JsonObject { ["i"] = i }, cancellationToken: _timeout.Token);
        }

        var sealedOnce = await trail.SealAsync(scope, _timeout.Token);
        var sealedTwice = await trail.SealAsync(scope, _timeout.Token);

        Assert.Equal(sealedOnce, sealedTwice);
        Assert.Equal(3, sealedOnce!.Sequence);
        Assert.Equal([3L], (await Reader().ReadAsync(scope, 2, 10, _timeout.Token)).Select(r => r.Sequence));
    }

    public void Dispose()
    {
        _key.Dispose();
        _timeout.Dispose();
    }

    private AuditSigner Signer() => new(
        Options.Create(new AuditOptions { SigningKey = _key.ExportECPrivateKeyPem(), CheckpointEvery = 10 }), NullLogger<AuditSigner>.Instance);

    private AuditTrail Trail(AuditSigner signer) => new(Tables(), Blobs(), signer, Options.Create(new AuditOptions { CheckpointEvery = 10 }), TimeProvider.System);

    private AuditReader Reader() => new(Tables(), Blobs());

    private AppTables Tables() => new(new TableServiceClient(azurite.ConnectionString), _hub);

    private AppBlobs Blobs() => new(new BlobServiceClient(azurite.ConnectionString), _hub);
}
