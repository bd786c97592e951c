using System.Net;
using System.Net.Http.Json;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class HealthzTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task Healthz_is_200_healthy_without_a_key_when_storage_answers()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/healthz", Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(Timeout);
        Assert.Equal(new Dictionary<string, string> { ["status"] = "healthy" }, body);
    }

    [Fact]
    public async Task Healthz_is_a_503_problem_when_storage_is_unreachable()
    {
        // Every service of the account moved to a port where nothing listens.
        var closed = FreePort.Next();
        var unreachable = Azurite.ConnectionString
            .Replace($":{Azurite.BlobPort}/", $":{closed}/", StringComparison.Ordinal)
            .Replace($":{Azurite.QueuePort}/", $":{closed}/", StringComparison.Ordinal)
            .Replace($":{Azurite.TablePort}/", $":{closed}/", StringComparison.Ordinal);
        await using var api = new RatifyApiFactory(unreachable, TestNames.NewHub());
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/healthz", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, Timeout);
        Assert.Contains("AzureWebJobsStorage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
