using System.Net;
using System.Net.Http.Json;
using Ratify.Functions.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

/// <summary>A test against the real app on Azurite in a fresh task hub, with a timeout token (30 s unless told) for every call.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout;

    /// <summary>Creates the app for this test; <paramref name="settings"/> adds or overrides configuration.</summary>
    protected ApiTestBase(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? timeout = null)
    {
        _timeout = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        Azurite = azurite;
        Api = new RatifyApiFactory(azurite, settings);
    }

    /// <summary>The shared Azurite.</summary>
    protected AzuriteFixture Azurite { get; }

    /// <summary>The app under test.</summary>
    protected RatifyApiFactory Api { get; }

    /// <summary>Cancelled when the test's time is up (30 s after it started unless told otherwise).</summary>
    protected CancellationToken Timeout => _timeout.Token;

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        _timeout.Dispose();
    }

    /// <summary>Creates a key through the API with <paramref name="client"/> (an admin) and returns it with its secret.</summary>
    protected async Task<CreatedApiKeyResponse> CreateKeyAsync(HttpClient client, string name, string[] scopes, string? tenantId = null)
    {
        using var response = await client.PostAsJsonAsync("/v1/keys", new { name, scopes, tenantId }, Timeout);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Timeout);
        Assert.NotNull(created);
        return created;
    }
}
