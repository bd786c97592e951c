using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Audit;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>Someone who can write the storage account but does not hold the signing key changes a finished run's chain.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditTamperingTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task Each_change_to_the_stored_chain_is_named_by_the_verifier()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);
        var table = await AuditTableAsync();
        var partition = Partition(runId);
        var rows = await RowsAsync(table, partition);
        var last = rows.Count;

        // An edited record.
        var edited = Copy(rows[2]);
        edited["Data"] = """{"stepId":"fetch","attempt":7}""";
        await table.UpdateEntityAsync(edited, ETag.All, TableUpdateMode.Replace, Timeout);
        await ExpectFailureAsync(admin, runId, "edited", 3);
        await RestoreAsync(table, rows);

        // A record deleted from the middle.
        await table.DeleteEntityAsync(partition, RowKey(4), cancellationToken: Timeout);
        await ExpectFailureAsync(admin, runId, "missing", 4);
        await RestoreAsync(table, rows);

        // A truncated tail, head moved back to match.
        await table.DeleteEntityAsync(partition, RowKey(last), cancellationToken: Timeout);
        await table.DeleteEntityAsync(partition, RowKey(last - 1), cancellationToken: Timeout);
        await table.UpsertEntityAsync(new TableEntity(partition, "head") { ["Sequence"] = (long)(last - 2), ["Hash"] = rows[last - 3].GetString("Hash") }, TableUpdateMode.Replace, Timeout);
        await ExpectFailureAsync(admin, runId, "truncated", last - 1);
        await RestoreAsync(table, rows);
        await table.UpsertEntityAsync(new TableEntity(partition, "head") { ["Sequence"] = (long)last, ["Hash"] = rows[last - 1].GetString("Hash") }, TableUpdateMode.Replace, Timeout);
        Assert.True((await VerifyStoredAsync(admin, runId))["valid"]!.GetValue<bool>());

        // The whole chain re-hashed after an edit: every link holds, but the signed head does not.
        var previous = rows[1].GetString("Hash")!;
        for (var i = 2; i < rows.Count; i++)
        {
            var row = rows[i];
            var data = JsonNode.Parse(row.GetString("Data") ?? "null");
            if (i == 2)
            {
                data!["attempt"] = 7;
            }

            var record = AuditRecord.Create(AuditRows(partition), row.GetInt64("Sequence")!.Value, row.GetString("Time")!, row.GetString("Type")!,
                new AuditActor(row.GetString("ActorKind")!, row.GetString("ActorId")), data, previous);
            var forged = Copy(row);
            forged["Data"] = data?.ToJsonString();
            forged["PreviousHash"] = previous;
            forged["Hash"] = record.Hash;
            await table.UpsertEntityAsync(forged, TableUpdateMode.Replace, Timeout);
            previous = record.Hash;
        }

        await ExpectFailureAsync(admin, runId, "checkpoint_mismatch", last);
    }

    /// <summary>The row's stored properties, without the service's own (ETag, Timestamp).</summary>
    private static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (key, value) in row.Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")))
        {
            copy[key] = value;
        }

        return copy;
    }

    private static string AuditRows(string partition) => partition.Replace('|', '/');

    private async Task ExpectFailureAsync(HttpClient client, string runId, string failure, long sequence)
    {
        var result = await VerifyStoredAsync(client, runId);
        Assert.False(result["valid"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal((failure, sequence), (result["failure"]!.GetValue<string>(), result["failedSequence"]!.GetValue<long>()));
        Assert.Contains($"{sequence}", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<List<TableEntity>> RowsAsync(TableClient table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{partition}' and RowKey ge 'r' and RowKey lt 's'", cancellationToken: Timeout))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task RestoreAsync(TableClient table, List<TableEntity> rows)
    {
        foreach (var row in rows)
        {
            await table.UpsertEntityAsync(Copy(row), TableUpdateMode.Replace, Timeout);
        }
    }
}
