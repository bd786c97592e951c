using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Tests.Audit;

/// <summary>The verifier on chains built in memory: each kind of tampering is found and the record named.</summary>
public sealed class AuditVerifierTests : IDisposable
{
    private const string Scope = "default/runs/r1";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public async Task VerifyAsync_WholeSignedChain_IsValid()
    {
        var (records, checkpoints) = Chain(10, signAt: [5, 10]);
        var result = await VerifyAsync(records, checkpoints, requireSealed: true);
        Assert.True(result.Valid, result.Message);
        Assert.Equal((10L, 10L, 2), (result.Records, result.SealedThrough, result.Checkpoints));
    }

    [Fact]
    public async Task VerifyAsync_EditedRecord_NamesIt()
    {
        var (records, checkpoints) = Chain(10, signAt: [10]);
        records[3] = records[3] with { Data = new JsonObject { ["n"] = 999 } };
        var result = await VerifyAsync(records, checkpoints);
        Assert.Equal(("edited", 4L), (result.Failure, result.FailedSequence));
    }

    [Fact]
    public async Task VerifyAsync_RecordDeletedFromTheMiddle_NamesTheGap()
    {
        var (records, checkpoints) = Chain(10, signAt: [10]);
        records.RemoveAt(4);
        var result = await VerifyAsync(records, checkpoints);
        Assert.Equal(("missing", 5L), (result.Failure, result.FailedSequence));
    }

    [Fact]
    public async Task VerifyAsync_TruncatedTail_IsDetectedByTheSignedHead()
    {
        var (records, checkpoints) = Chain(10, signAt: [10]);
        records.RemoveRange(7, 3);
        var result = await VerifyAsync(records, checkpoints);
        Assert.Equal(("truncated", 8L), (result.Failure, result.FailedSequence));
    }

    [Fact]
    public async Task VerifyAsync_ChainRehashedWithoutTheKey_FailsAtTheCheckpoint()
    {
        var (records, checkpoints) = Chain(10, signAt: [5, 10]);
        records[6] = records[6] with { Data = new JsonObject { ["n"] = 999 } };
        for (var i = 6; i < records.Count; i++)
        {
            var previous = records[i - 1].Hash;
            records[i] = AuditRecord.Create(Scope, records[i].Sequence, records[i].Time, records[i].Type, records[i].Actor, records[i].Data, previous);
        }

        var result = await VerifyAsync(records, checkpoints);
        Assert.Equal(("checkpoint_mismatch", 10L), (result.Failure, result.FailedSequence));
        Assert.Contains("after sequence 5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_ForgedCheckpoint_FailsItsSignature()
    {
        var (records, checkpoints) = Chain(3, signAt: [3]);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        checkpoints[0] = checkpoints[0] with { Signature = Convert.ToBase64String(other.SignData([1, 2, 3], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) };
        var result = await VerifyAsync(records, checkpoints);
        Assert.Equal(("bad_signature", 3L), (result.Failure, result.FailedSequence));
    }

    [Fact]
    public async Task VerifyAsync_UnsignedTailOfASealedChain_IsReported()
    {
        var (records, checkpoints) = Chain(6, signAt: [4]);
        var result = await VerifyAsync(records, checkpoints, requireSealed: true);
        Assert.Equal(("unsealed", 5L), (result.Failure, result.FailedSequence));
        Assert.True((await VerifyAsync(records, checkpoints, requireSealed: false)).Valid);
    }

    public void Dispose() => _key.Dispose();

    private (List<AuditRecord> Records, List<AuditCheckpoint> Checkpoints) Chain(int count, long[] signAt)
    {
        var records = new List<AuditRecord>();
        var previous = AuditRecord.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var record = AuditRecord.Create(Scope, i, $"2026-01-01T00:00:{i:D2}.0000000Z", "step.attempt.completed", AuditActor.System, new JsonObject { ["n"] = i }, previous);
            records.Add(record);
            previous = record.Hash;
        }

        var checkpoints = signAt.Select(s => Sign(records[(int)s - 1])).ToList();
        return (records, checkpoints);
    }

    private AuditCheckpoint Sign(AuditRecord record)
    {
        var unsigned = new AuditCheckpoint(Scope, record.Sequence, record.Hash, record.Time, AuditVerifier.KeyIdOf(_key), string.Empty);
        var signature = _key.SignData(JsonCanonicalizer.Serialize(unsigned.SignedContent()), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    private Task<AuditVerification> VerifyAsync(List<AuditRecord> records, List<AuditCheckpoint> checkpoints, bool requireSealed = false) =>
        new AuditVerifier(_key.ExportSubjectPublicKeyInfoPem()).VerifyAsync(Scope, records.ToAsyncEnumerable(), checkpoints, requireSealed);
}
