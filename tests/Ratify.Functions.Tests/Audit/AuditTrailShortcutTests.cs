using System.Text.Json.Nodes;
using Ratify.Functions.Audit;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>The appends that save storage requests (a new chain's first record, the last record sealed with it) keep the chain's guarantees.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditTrailShortcutTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly AuditTestStore _store = new(azurite, checkpointEvery: 0);

    [Fact]
    public async Task The_last_record_appended_with_its_seal_is_signed_and_the_chain_stays_sealed()
    {
        using var signer = _store.Signer();
        var trail = _store.Trail(signer);
        const string scope = "default/runs/sealed-in-one";
        await trail.StartChainAsync(scope, "run.started", AuditActor.Key("key_1"), null, "run.started", _timeout.Token);
        await trail.AppendAsync(scope, "step.attempt.completed", AuditActor.System, new JsonObject { ["stepId"] = "a" }, "a/ended", _timeout.Token);

        var finished = await trail.AppendAndSealAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);
        var late = await trail.AppendAsync(scope, "step.result_late", AuditActor.System, null, "late", _timeout.Token);

        Assert.Equal((3L, 4L), (finished.Sequence, late.Sequence));
        var reader = _store.Reader();
        var checkpoints = await reader.CheckpointsAsync(scope, _timeout.Token);
        Assert.Equal([3L, 4L], checkpoints.Select(c => c.Sequence));
        Assert.Equal(4L, (await trail.SealAsync(scope, _timeout.Token))!.Sequence);
        await AssertValidAsync(signer, reader, scope);
    }

    [Fact]
    public async Task A_repeated_last_record_appends_nothing_but_still_seals_a_chain_left_unsealed()
    {
        using var signer = _store.Signer();
        const string scope = "default/runs/sealed-late";

        // A first execution recorded run.finished and stopped before sealing; the repeat runs on a host with nothing remembered.
        var first = await _store.Trail(signer).AppendAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);
        var repeat = await _store.Trail(signer).AppendAndSealAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);

        Assert.Equal(first.Hash, repeat.Hash);
        var reader = _store.Reader();
        Assert.Equal([1L], (await reader.ReadAsync(scope, 0, 10, _timeout.Token)).Select(r => r.Sequence));
        await AssertValidAsync(signer, reader, scope);
    }

    [Fact]
    public async Task Starting_a_chain_that_exists_appends_after_its_head_and_a_repeated_start_appends_once()
    {
        using var signer = _store.Signer();
        const string scope = "default/runs/started-twice";
        await _store.Trail(signer).AppendAsync(scope, "step.attempt.started", AuditActor.System, null, "other", _timeout.Token);

        var started = await _store.Trail(signer).StartChainAsync(scope, "run.started", AuditActor.Key("key_1"), null, "run.started", _timeout.Token);
        var again = await _store.Trail(signer).StartChainAsync(scope, "run.started", AuditActor.Key("key_1"), null, "run.started", _timeout.Token);

        Assert.Equal((2L, 2L), (started.Sequence, again.Sequence));
        var reader = _store.Reader();
        Assert.Equal(["step.attempt.started", "run.started"], (await reader.ReadAsync(scope, 0, 10, _timeout.Token)).Select(r => r.Type));
        await _store.Trail(signer).SealAsync(scope, _timeout.Token);
        await AssertValidAsync(signer, reader, scope);
    }

    [Fact]
    public async Task Parallel_appends_on_one_host_with_record_ids_keep_one_unbroken_chain()
    {
        using var signer = _store.Signer();
        var trail = _store.Trail(signer);
        const string scope = "default/runs/parallel-steps";
        await trail.StartChainAsync(scope, "run.started", AuditActor.System, null, "run.started", _timeout.Token);

        // Parallel steps, each appended twice (an activity executed again).
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            trail.AppendAsync(scope, "step.attempt.completed", AuditActor.System, new JsonObject { ["i"] = i % 10 }, $"step/{i % 10}", _timeout.Token)));
        await trail.AppendAndSealAsync(scope, "run.finished", AuditActor.System, null, "finished", _timeout.Token);

        var reader = _store.Reader();
        var records = await reader.ReadAsync(scope, 0, 100, _timeout.Token);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(10, records.Where(r => r.Type == "step.attempt.completed").Select(r => r.Data!["i"]!.GetValue<int>()).Distinct().Count());
        await AssertValidAsync(signer, reader, scope);
    }

    public void Dispose()
    {
        _store.Dispose();
        _timeout.Dispose();
    }

    private async Task AssertValidAsync(AuditSigner signer, AuditReader reader, string scope)
    {
        var checkpoints = await reader.CheckpointsAsync(scope, _timeout.Token);
        var result = await new AuditVerifier(signer.PublicKeyPem).VerifyAsync(scope, reader.StreamAsync(scope, 0, _timeout.Token), checkpoints, requireSealed: true, _timeout.Token);
        Assert.True(result.Valid, result.Message);
    }
}
