using System.Net;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Security;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class ProblemDetailsTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var client = Api.CreateAdminClient();

        using var response = await client.GetAsync("/v1/nothing-here", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, Timeout);
        Assert.Equal("/v1/nothing-here", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task A_method_the_route_does_not_accept_is_a_405_problem()
    {
        using var client = Api.CreateAdminClient();

        using var response = await client.PutAsync("/v1/keys", JsonBody("{}"), Timeout);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, Timeout);
    }

    [Fact]
    public async Task A_request_without_a_key_is_a_401_problem_with_a_bearer_challenge()
    {
        using var client = Api.CreateClient();

        using var response = await client.GetAsync("/v1/keys", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, Timeout);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_the_scope_is_a_403_problem_naming_the_scope()
    {
        using var admin = Api.CreateAdminClient();
        var reader = await CreateKeyAsync(admin, "reader", [RatifyScopes.RunsRead]);
        using var client = Api.CreateClient(reader.Secret);

        using var response = await client.GetAsync("/v1/keys", Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Timeout);
        Assert.Contains("'admin'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("admin", Assert.Single(problem.GetProperty("missingScopes").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_body_over_the_default_limit_of_1_MiB_is_a_413_problem()
    {
        using var client = Api.CreateAdminClient();
        var body = "{\"name\":\"" + new string('x', 1024 * 1024) + "\",\"scopes\":[\"admin\"]}";

        using var response = await client.PostAsync("/v1/keys", JsonBody(body), Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, Timeout);
        Assert.Contains("1048576 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_a_413_problem_even_without_a_key()
    {
        await using var api = new RatifyApiFactory(Azurite, new Dictionary<string, string?> { ["Ratify:MaxRequestBodyBytes"] = "64" });
        using var client = api.CreateClient();

        using var response = await client.PostAsync("/v1/keys", JsonBody(new string(' ', 65)), Timeout);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, Timeout);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_with_the_parsers_reason_and_place()
    {
        using var client = Api.CreateAdminClient();

        using var response = await client.PostAsync("/v1/keys", JsonBody("{\"name\": \"ci\", \"scopes\": [\"admin\",]"), Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("not valid JSON", detail, StringComparison.Ordinal);
        Assert.Contains("(line 1, byte ", detail, StringComparison.Ordinal);
        Assert.Equal("/scopes/1", problem.GetProperty("errors")[0].GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        using var client = Api.CreateAdminClient();

        using var response = await client.PostAsync("/v1/keys", new StringContent("name=ci", Encoding.UTF8, "text/plain"), Timeout);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, Timeout);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_without_its_message_or_stack_even_in_development()
    {
        using var api = Api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new BrokenClock())));
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Api.BootstrapAdminKey);

        using var response = await client.PostAsync("/v1/keys", JsonBody("{\"name\":\"ci\",\"scopes\":[\"admin\"]}"), Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError, Timeout);
        Assert.DoesNotContain(BrokenClock.Message, problem.ToString(), StringComparison.Ordinal);
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private sealed class BrokenClock : TimeProvider
    {
        public const string Message = "internal detail that must not leak";

        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Message);
    }
}
