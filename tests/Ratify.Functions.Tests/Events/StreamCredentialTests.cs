using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Approvals;
using Ratify.Functions.Events;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;
using static Ratify.Functions.Tests.Events.SseStream;

namespace Ratify.Functions.Tests.Events;

/// <summary>Open streams close when the credential they were opened with ends: a ticket at its expiry, a key soon after its revocation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StreamCredentialTests(AzuriteFixture azurite)
    : RunsApiTestBase(
        azurite,
        new Dictionary<string, string?>
        {
            ["Ratify:Stream:KeyCheckInterval"] = "00:00:00.200",

            // A signing key of the test's own, so that a ticket signed here opens the host's streams.
            ["Ratify:Approvals:SigningKeys:test"] = Convert.ToBase64String(new byte[32]),
            ["Ratify:Approvals:SigningKeyId"] = "test",
        },
        TimeSpan.FromSeconds(60))
{
    [Fact(Timeout = 60_000)]
    public async Task A_ticket_stream_ends_when_the_ticket_expires()
    {
        using var admin = Admin();
        var key = await CreateKeyAsync(admin, "browser", [RatifyScopes.RunsRead]);

        // Issued as if most of its lifetime had passed already: it expires in a few seconds, time enough to open both streams.
        var signer = new StreamTicketSigner(
            Services.GetRequiredService<IOptions<ApprovalOptions>>(), new ShiftedTime(TimeSpan.FromSeconds(8) - StreamTicketSigner.Lifetime), NullLogger<StreamTicketSigner>.Instance);
        var ticket = Uri.EscapeDataString(signer.Issue("default", key.Id, [RatifyScopes.RunsRead], null).Ticket);

        using var browser = App.CreateClient();
        using var sse = await OpenAsync(browser, $"/v1/stream?ticket={ticket}", null, Timeout);
        Assert.Equal(HttpStatusCode.OK, sse.StatusCode);
        var lines = await ReadToEndAsync(sse);
        Assert.Equal(": stream closed: the stream ticket expired", lines.Last(l => l.Length > 0));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_revoked_keys_streams_close_a_websocket_as_a_policy_violation_and_another_keys_stream_goes_on()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var revoked = await CreateKeyAsync(admin, "revoked", [RatifyScopes.RunsRead]);
        var kept = await CreateKeyAsync(admin, "kept", [RatifyScopes.RunsRead]);
        using var revokedClient = Client(revoked.Secret);
        using var keptClient = Client(kept.Secret);
        using var revokedStream = await OpenAsync(revokedClient, "/v1/stream", null, Timeout);
        Assert.Equal(HttpStatusCode.OK, revokedStream.StatusCode);
        var revokedLines = ReadToEndAsync(revokedStream);
        var socketClient = App.Server.CreateWebSocketClient();
        socketClient.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + revoked.Secret;
        using var socket = await socketClient.ConnectAsync(new Uri(App.Server.BaseAddress, "/v1/stream"), Timeout);
        var socketClosed = socket.ReceiveAsync(new byte[1024], Timeout);
        var keptEvents = ReadUntilAsync(keptClient, "/v1/stream?after=0", e => e.Any(x => Type(x) == "run.completed"), Timeout);

        Assert.NotNull(await Services.GetRequiredService<ApiKeyStore>().RevokeAsync("default", revoked.Id, Timeout));
        Assert.Equal(": stream closed: the API key was revoked", (await revokedLines).Last(l => l.Length > 0));
        Assert.Equal(WebSocketMessageType.Close, (await socketClosed).MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal("the API key was revoked", socket.CloseStatusDescription);

        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "K-1" });
        var types = (await keptEvents).Select(Type).ToList();
        Assert.Equal("run.started", types[0]);
        Assert.Equal("run.completed", types[^1]);
        Assert.All(await keptEvents, e => Assert.Equal(runId, RunId(e)));
    }

    private async Task<List<string>> ReadToEndAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeout));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(Timeout) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
