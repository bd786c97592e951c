using System.Text;
using System.Text.Json.Nodes;
using Ratify.Functions.Audit;

namespace Ratify.Functions.Tests.Audit;

public sealed class AuditPackageReaderTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task ReadAsync_PackageArrivingInTinyPiecesWithALargeSkippedField_YieldsHeaderAndEveryRecordInOrder()
    {
        var records = new List<AuditRecord>();
        var previous = AuditRecord.GenesisHash;
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            var record = AuditRecord.Create("t/runs/r", sequence, "2026-01-01T00:00:00.000Z", "step.attempt.started", AuditActor.System,
                new JsonObject { ["note"] = new string('x', 70_000 * sequence) }, previous);
            records.Add(record);
            previous = record.Hash;
        }

        var package = new JsonObject
        {
            ["format"] = AuditPackageVerifier.Format,
            ["scope"] = "t/runs/r",
            ["run"] = new JsonObject { ["status"] = "completed", ["input"] = new JsonObject { ["deep"] = new JsonArray(1, 2, new JsonObject()) } },
            ["artifacts"] = new JsonArray(new JsonObject { ["content"] = Convert.ToBase64String(new byte[300_000]) }),
            ["checkpoints"] = new JsonArray(),
            ["publicKey"] = "PEM",
            ["records"] = new JsonArray([.. records.Select(r => (JsonNode)r.ToJson())]),
        };
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(package.ToJsonString()), 7);

        var reader = new AuditPackageReader(stream);
        await reader.ReadHeaderAsync(Timeout);
        var read = new List<AuditRecord>();
        await foreach (var record in reader.ReadRecordsAsync(Timeout))
        {
            read.Add(record);
        }

        Assert.Equal((AuditPackageVerifier.Format, "t/runs/r", "completed", "PEM", 0), (reader.Format, reader.Scope, reader.RunStatus, reader.PublicKey, reader.Checkpoints!.Count));
        Assert.Equal(records.Select(r => r.Hash), read.Select(r => r.Hash));
        Assert.All(read, r => Assert.Equal(r.Hash, r.ComputeHash()));
    }

    [Fact]
    public async Task ReadHeaderAsync_CutOffPackage_ThrowsFormatException()
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"format": "ratify-audit-package/1", "scope": "t/lo"""));
        await Assert.ThrowsAsync<FormatException>(() => new AuditPackageReader(stream).ReadHeaderAsync(Timeout));
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] content, int piece) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }
}
