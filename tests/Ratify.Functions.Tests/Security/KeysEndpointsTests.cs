using System.Net;
using System.Net.Http.Json;
using Ratify.Functions.Http;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Security;

[Collection(AzuriteCollection.Name)]
public sealed class KeysEndpointsTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task Creating_a_key_shows_its_secret_once_and_the_key_authenticates()
    {
        using var admin = Api.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/v1/keys", new { name = "deal agent", scopes = new[] { "runs:write", "runs:read" } }, Timeout);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var created = await response.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Timeout);
        Assert.NotNull(created);
        Assert.Equal($"/v1/keys/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("key_", created.Id, StringComparison.Ordinal);
        Assert.True(ApiKeySecret.IsWellFormed(created.Secret));
        Assert.Equal(created.Secret[..14] + "…", created.Prefix);
        Assert.Equal(["runs:write", "runs:read"], created.Scopes);
        Assert.Equal("deal agent", created.Name);

        // The new key is an agent's key: it authenticates, and it is not an admin.
        using var agent = Api.CreateClient(created.Secret);
        using var denied = await agent.GetAsync("/v1/keys", Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Listing_and_reading_keys_shows_no_secret_or_hash()
    {
        using var admin = Api.CreateAdminClient();
        var first = await CreateKeyAsync(admin, "first", [RatifyScopes.RunsRead]);
        var second = await CreateKeyAsync(admin, "second", [RatifyScopes.WorkflowsWrite, RatifyScopes.ApprovalsResolve]);

        var listText = await admin.GetStringAsync("/v1/keys", Timeout);
        var oneText = await admin.GetStringAsync($"/v1/keys/{first.Id}", Timeout);

        foreach (var text in new[] { listText, oneText })
        {
            Assert.DoesNotContain(first.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(second.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKeySecret.Hash(first.Secret), text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        }

        var list = await admin.GetFromJsonAsync<ApiKeyListResponse>("/v1/keys", Timeout);
        Assert.NotNull(list);
        Assert.Equal([second.Id, first.Id], list.Items.Select(k => k.Id));
        Assert.All(list.Items, k => Assert.Null(k.RevokedAt));
        Assert.Equal(second.Prefix, list.Items[0].Prefix);
    }

    [Fact]
    public async Task Revoking_a_key_marks_it_revoked_in_the_listing_and_is_idempotent()
    {
        using var admin = Api.CreateAdminClient();
        var key = await CreateKeyAsync(admin, "temp", [RatifyScopes.RunsRead]);

        using (var first = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using (var again = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        var listed = await admin.GetFromJsonAsync<ApiKeyResponse>($"/v1/keys/{key.Id}", Timeout);
        Assert.NotNull(listed?.RevokedAt);
    }

    [Fact]
    public async Task Invalid_requests_are_a_422_problem_with_a_pointer_per_error()
    {
        using var admin = Api.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/v1/keys", new { name = " ", scopes = new[] { "runs:read", "runs:delete" }, tenantId = "Not A Tenant" }, Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, Timeout);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Pointer: e.GetProperty("pointer").GetString(), Message: e.GetProperty("message").GetString()))
            .ToList();
        Assert.Equal(["/name", "/scopes/1", "/tenantId"], errors.Select(e => e.Pointer));
        Assert.Contains("runs:delete", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_needs_at_least_one_scope()
    {
        using var admin = Api.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/v1/keys", new { name = "nothing" }, Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, Timeout);
        Assert.Equal("/scopes", problem.GetProperty("errors")[0].GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem_showing_the_expected_shape()
    {
        using var admin = Api.CreateAdminClient();

        using var response = await admin.PostAsync("/v1/keys", new StringContent("", System.Text.Encoding.UTF8, "application/json"), Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
        Assert.Contains("\"scopes\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_key_makes_a_tenant_whose_admin_sees_and_manages_only_its_own_keys()
    {
        using var bootstrap = Api.CreateAdminClient();
        var defaultKey = await CreateKeyAsync(bootstrap, "default agent", [RatifyScopes.RunsWrite]);
        var acmeAdminKey = await CreateKeyAsync(bootstrap, "acme admin", [RatifyScopes.Admin], tenantId: "acme");
        Assert.Equal("acme", acmeAdminKey.TenantId);
        using var acmeAdmin = Api.CreateClient(acmeAdminKey.Secret);

        var acmeAgent = await CreateKeyAsync(acmeAdmin, "acme agent", [RatifyScopes.RunsRead]);
        var acmeList = await acmeAdmin.GetFromJsonAsync<ApiKeyListResponse>("/v1/keys", Timeout);

        Assert.Equal("acme", acmeAgent.TenantId);
        Assert.Equal(acmeAdminKey.Id, acmeAgent.CreatedBy);
        Assert.Equal([acmeAgent.Id, acmeAdminKey.Id], acmeList!.Items.Select(k => k.Id));
        var defaultList = await bootstrap.GetFromJsonAsync<ApiKeyListResponse>("/v1/keys", Timeout);
        Assert.Equal([defaultKey.Id], defaultList!.Items.Select(k => k.Id));
        var acmeSeenByBootstrap = await bootstrap.GetFromJsonAsync<ApiKeyListResponse>("/v1/keys?tenantId=acme", Timeout);
        Assert.Equal(2, acmeSeenByBootstrap!.Items.Count);
    }

    [Fact]
    public async Task A_tenant_admin_may_not_create_or_list_keys_in_another_tenant()
    {
        using var bootstrap = Api.CreateAdminClient();
        var acmeAdminKey = await CreateKeyAsync(bootstrap, "acme admin", [RatifyScopes.Admin], tenantId: "acme");
        using var acmeAdmin = Api.CreateClient(acmeAdminKey.Secret);

        using var create = await acmeAdmin.PostAsJsonAsync("/v1/keys", new { name = "sneaky", scopes = new[] { "admin" }, tenantId = "globex" }, Timeout);
        using var list = await acmeAdmin.GetAsync("/v1/keys?tenantId=default", Timeout);

        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.Forbidden, Timeout);
        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Forbidden, Timeout);
    }

    [Fact]
    public async Task Another_tenants_key_is_a_404_on_delete_and_read_and_stays_valid()
    {
        using var bootstrap = Api.CreateAdminClient();
        var defaultAgent = await CreateKeyAsync(bootstrap, "default agent", [RatifyScopes.Admin]);
        var acmeAdminKey = await CreateKeyAsync(bootstrap, "acme admin", [RatifyScopes.Admin], tenantId: "acme");
        using var acmeAdmin = Api.CreateClient(acmeAdminKey.Secret);

        using var delete = await acmeAdmin.DeleteAsync($"/v1/keys/{defaultAgent.Id}", Timeout);
        using var read = await acmeAdmin.GetAsync($"/v1/keys/{defaultAgent.Id}", Timeout);

        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound, Timeout);
        await ProblemAssert.IsProblemAsync(read, HttpStatusCode.NotFound, Timeout);
        using var stillWorks = Api.CreateClient(defaultAgent.Secret);
        using var check = await stillWorks.GetAsync("/v1/keys", Timeout);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_id_is_a_404()
    {
        using var admin = Api.CreateAdminClient();

        using var response = await admin.DeleteAsync("/v1/keys/key_0000", Timeout);
        using var odd = await admin.DeleteAsync("/v1/keys/..%2F..%2Fx", Timeout);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, Timeout);
        await ProblemAssert.IsProblemAsync(odd, HttpStatusCode.NotFound, Timeout);
    }
}
