using System.Text.Json.Nodes;
using Ratify.Functions.Audit;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class AuditTrailTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly AuditTestStore _store = new(azurite, checkpointEvery: 10);

    [Fact]
    public async Task Concurrent_appends_from_two_hosts_never_fork_the_chain()
    {
        using var signer = _store.Signer();
        var first = _store.Trail(signer);
        var second = _store.Trail(signer);
        const string scope = "default/runs/concurrent";

        // 40 writers on two "hosts" (two trails over separate clients) race for the same head.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).AppendAsync(scope, "test.event", AuditActor.System, new JsonObject { ["i"] = i }, cancellationToken: _timeout.Token)));

        var reader = _store.Reader();
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
        using var signer = _store.Signer();
        var trail = _store.Trail(signer);
        const string scope = "default/runs/idempotent";

        var appends = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            trail.AppendAsync(scope, "step.attempt.completed", AuditActor.System, new JsonObject { ["stepId"] = "a" }, "step/x/a/1/ended", _timeout.Token)));
        await trail.AppendAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);

        Assert.Single(appends.Select(a => a.Sequence).Distinct());
        var records = await _store.Reader().ReadAsync(scope, 0, 100, _timeout.Token);
        Assert.Equal(["step.attempt.completed", "run.finished"], records.Select(r => r.Type));
    }

    [Fact]
    public async Task Seal_signs_the_head_once_and_reading_after_a_sequence_pages_the_chain()
    {
        using var signer = _store.Signer();
        var trail = _store.Trail(signer);
        const string scope = "default/log";
        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(scope, "key.created", AuditActor.Key("key_1"), new JsonObject { ["i"] = i }, cancellationToken: _timeout.Token);
        }

        var sealedOnce = await trail.SealAsync(scope, _timeout.Token);
        var sealedTwice = await trail.SealAsync(scope, _timeout.Token);

        Assert.Equal(sealedOnce, sealedTwice);
        Assert.Equal(3, sealedOnce!.Sequence);
        Assert.Equal([3L], (await _store.Reader().ReadAsync(scope, 2, 10, _timeout.Token)).Select(r => r.Sequence));
    }

    public void Dispose()
    {
        _store.Dispose();
        _timeout.Dispose();
    }
}
