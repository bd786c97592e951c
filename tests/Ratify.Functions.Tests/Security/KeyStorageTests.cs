using System.Globalization;
using Azure.Data.Tables;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Security;

[Collection(AzuriteCollection.Name)]
public sealed class KeyStorageTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task A_key_is_stored_only_as_its_hash_and_display_prefix()
    {
        using var admin = Api.CreateAdminClient();
        var created = await CreateKeyAsync(admin, "agent", [RatifyScopes.RunsRead]);

        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(Api.HubName + "Keys");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Timeout))
        {
            rows.Add(row);
        }

        // Everything stored, keys included, as text: not even a stretch of the random part may be there.
        var stored = string.Join(
            "\n",
            rows.SelectMany(r => r.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")));
        var random = created.Secret[ApiKeySecret.Prefix.Length..];
        for (var start = 4; start + 8 <= random.Length; start++)
        {
            Assert.DoesNotContain(random.Substring(start, 8), stored, StringComparison.Ordinal);
        }

        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.PartitionKey == ApiKeySecret.Hash(created.Secret));
        Assert.Contains(rows, r => r.PartitionKey == "tenant:default" && r.RowKey == created.Id);
        Assert.All(rows, r => Assert.Equal(created.Prefix, r.GetString("DisplayPrefix")));
    }
}
