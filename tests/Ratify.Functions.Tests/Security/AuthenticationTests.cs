using System.Net;
using System.Net.Http.Headers;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Security;

[Collection(AzuriteCollection.Name)]
public sealed class AuthenticationTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task The_bootstrap_key_is_an_admin_of_the_default_tenant()
    {
        using var admin = Api.CreateAdminClient();

        var created = await CreateKeyAsync(admin, "ci", [RatifyScopes.RunsRead]);

        Assert.Equal("default", created.TenantId);
        Assert.Equal("key_bootstrap", created.CreatedBy);
    }

    [Theory]
    [InlineData("Bearer sk_ratify_tooshort", "malformed")]
    [InlineData("Basic dXNlcjpwYXNz", "Bearer")]
    [InlineData("Bearer not-a-ratify-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "malformed")]
    public async Task A_malformed_authorization_header_is_a_401_problem(string header, string expected)
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        using var response = await client.GetAsync("/v1/keys", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Timeout);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task An_unknown_key_is_a_401_problem()
    {
        using var client = Api.CreateClient(ApiKeySecret.Generate());

        using var response = await client.GetAsync("/v1/keys", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Timeout);
        Assert.Contains("not recognised", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "error=\"invalid_token\""), Assert.Single(response.Headers.WwwAuthenticate));
    }

    [Fact]
    public async Task A_revoked_key_is_a_401_problem_at_once_on_the_host_that_revoked_it()
    {
        using var admin = Api.CreateAdminClient();
        var key = await CreateKeyAsync(admin, "soon revoked", [RatifyScopes.Admin]);
        using var client = Api.CreateClient(key.Secret);
        using (var before = await client.GetAsync("/v1/keys", Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await client.GetAsync("/v1/keys", Timeout);
        var problem = await ProblemAssert.IsProblemAsync(after, HttpStatusCode.Unauthorized, Timeout);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_revoked_through_another_host_stops_working_once_the_cache_time_has_passed()
    {
        // A second host on the same hub that keeps no cache: "once the cache time has passed" is at once.
        await using var other = new RatifyApiFactory(
            Api.StorageConnectionString, Api.HubName, new Dictionary<string, string?> { ["Ratify:ApiKeyCacheDuration"] = "00:00:00" });
        using var admin = Api.CreateAdminClient();
        var key = await CreateKeyAsync(admin, "shared", [RatifyScopes.Admin]);
        using var viaOther = other.CreateClient(key.Secret);
        using (var before = await viaOther.GetAsync("/v1/keys", Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var after = await viaOther.GetAsync("/v1/keys", Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
