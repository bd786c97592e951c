using System.Net;
using System.Text.Json;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class OpenApiTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task The_openapi_document_is_served_with_the_bearer_scheme_and_the_keys_routes()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json", Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var root = document.RootElement;
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());

        var paths = root.GetProperty("paths");
        var createKey = paths.GetProperty("/v1/keys").GetProperty("post");
        Assert.Equal("CreateKey", createKey.GetProperty("operationId").GetString());
        Assert.True(createKey.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        Assert.Contains("`admin`", createKey.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(paths.GetProperty("/v1/keys/{id}").TryGetProperty("delete", out _));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_reference_page_is_served_without_a_key()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/docs", Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);

        // The page's script is served by the host itself: the reference works without reaching any other site.
        using var script = await client.GetAsync("/docs/scalar.js", Timeout);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
