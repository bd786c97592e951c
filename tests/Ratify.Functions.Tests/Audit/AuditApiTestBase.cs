using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>Runs through the API plus direct access to the audit table, as someone who can write storage would have.</summary>
public abstract class AuditApiTestBase(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null) : RunsApiTestBase(azurite, settings)
{
    protected const string PairInput = """{"dealId": "d-1", "amount": 5}""";

    /// <summary>Starts <c>pair</c> and waits until it is completed and its row (written after the chain is sealed) says so.</summary>
    protected async Task<string> CompletedPairRunAsync(HttpClient client)
    {
        await CreateWorkflowAsync(client, PairWorkflow);
        var runId = await StartRunAsync(client, "pair", JsonNode.Parse(PairInput));
        await WaitForStatusAsync(client, runId, "completed");
        await WaitForListingAsync(client, "?status=completed", 1);
        return runId;
    }

    protected async Task<JsonArray> RecordsAsync(HttpClient client, string runId) =>
        (await GetJsonAsync(client, $"/v1/runs/{runId}/audit?limit=200"))["records"]!.AsArray();

    protected async Task<JsonObject> VerifyStoredAsync(HttpClient client, string runId)
    {
        using var response = await PostJsonAsync(client, "/v1/audit/verify", $$"""{"runId": "{{runId}}"}""");
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The run's first record of <paramref name="type"/>, waiting for it to be written.</summary>
    protected async Task<JsonNode> WaitForRecordAsync(HttpClient client, string runId, string type)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if ((await RecordsAsync(client, runId)).FirstOrDefault(r => r!["type"]!.GetValue<string>() == type) is { } found)
            {
                return found;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    protected async Task<TableClient> AuditTableAsync()
    {
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient(Api.HubName + "Audit");
        await table.CreateIfNotExistsAsync(Timeout);
        return table;
    }

    protected static string Partition(string runId) => $"default|runs|{runId}";

    protected static string RowKey(long sequence) => "r" + sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}
