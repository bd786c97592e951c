using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ratify.Functions.Approvals;
using Ratify.Functions.Events;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Approvals;
using Ratify.Testing;
using static Ratify.Functions.Tests.Events.SseStream;

namespace Ratify.Functions.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class StreamTicketTests(AzuriteFixture azurite)
    : ApprovalTestBase(azurite, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" })
{
    [Fact(Timeout = 60_000)]
    public async Task A_ticket_opens_the_keys_streams_without_a_header_until_it_expires_is_changed_or_its_key_is_revoked()
    {
        var capture = new CapturingLoggerProvider();
        await using var logged = App.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture)));
        using var admin = logged.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", Api.BootstrapAdminKey);
        using var browser = logged.CreateClient();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var key = await CreateKeyAsync(admin, "dashboard", [RatifyScopes.RunsRead]);
        using var reader = logged.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);

        var ticket = await TicketAsync(reader, null);
        var reading = ReadUntilAsync(browser, $"/v1/stream?after=0&ticket={Uri.EscapeDataString(ticket)}", e => e.Any(x => Type(x) == "run.completed"), Timeout);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "T-1" });
        Assert.All(await reading, e => Assert.Equal(runId, RunId(e)));
        var runEvents = await ReadUntilAsync(browser, $"/v1/runs/{runId}/stream?ticket={Uri.EscapeDataString(ticket)}", _ => false, Timeout, idField: "seq");
        Assert.Equal("run.completed", Type(runEvents[^1]));

        // Changed, expired, or shown anywhere but a stream.
        await AssertRefusedAsync(browser, $"/v1/stream?ticket={Uri.EscapeDataString(ticket[..^2] + (ticket[^2] == 'A' ? "BB" : "AA"))}", HttpStatusCode.Unauthorized);
        var signer = new StreamTicketSigner(Services.GetRequiredService<IOptions<ApprovalOptions>>(), new ShiftedTime(TimeSpan.FromMinutes(-2)), NullLogger<StreamTicketSigner>.Instance);
        var expired = signer.Issue("default", key.Id, [RatifyScopes.RunsRead], null).Ticket;
        await AssertRefusedAsync(browser, $"/v1/stream?ticket={Uri.EscapeDataString(expired)}", HttpStatusCode.Unauthorized);
        using (var elsewhere = await browser.GetAsync($"/v1/runs/{runId}?ticket={Uri.EscapeDataString(ticket)}", Timeout))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        }

        // Bound to one run: that run's stream only.
        var single = await TicketAsync(reader, runId);
        await AssertRefusedAsync(browser, $"/v1/stream?ticket={Uri.EscapeDataString(single)}", HttpStatusCode.Forbidden);
        var otherRun = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "T-2" });
        await AssertRefusedAsync(browser, $"/v1/runs/{otherRun}/stream?ticket={Uri.EscapeDataString(single)}", HttpStatusCode.NotFound);
        Assert.NotEmpty(await ReadUntilAsync(browser, $"/v1/runs/{runId}/stream?ticket={Uri.EscapeDataString(single)}", _ => false, Timeout, idField: "seq"));
        using (var unknown = await reader.PostAsJsonAsync("/v1/stream/tickets", new { runId = "run_000000000000000000" }, Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Another tenant's ticket finds nothing of this tenant.
        var outsider = await CreateKeyAsync(admin, "outsider", [RatifyScopes.RunsRead], "other-tenant");
        using var foreign = logged.CreateClient();
        foreign.DefaultRequestHeaders.Authorization = new("Bearer", outsider.Secret);
        var foreignTicket = await TicketAsync(foreign, null);
        await AssertRefusedAsync(browser, $"/v1/runs/{runId}/stream?ticket={Uri.EscapeDataString(foreignTicket)}", HttpStatusCode.NotFound);

        using (var revoked = await admin.DeleteAsync($"/v1/keys/{key.Id}", Timeout))
        {
            Assert.True(revoked.IsSuccessStatusCode);
        }

        await AssertRefusedAsync(browser, $"/v1/stream?ticket={Uri.EscapeDataString(ticket)}", HttpStatusCode.Unauthorized);
        Assert.NotEmpty(capture.Messages);
        foreach (var secret in new[] { ticket, single, foreignTicket })
        {
            var signature = secret[(secret.LastIndexOf('.') + 1)..];
            Assert.DoesNotContain(capture.Messages, m => m.Contains(signature, StringComparison.Ordinal));
        }
    }

    private async Task<string> TicketAsync(HttpClient client, string? runId)
    {
        using var response = await client.PostAsJsonAsync("/v1/stream/tickets", new { runId }, Timeout);
        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.InRange(body["expiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(61));
        return body["ticket"]!.GetValue<string>();
    }

    private async Task AssertRefusedAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await OpenAsync(client, path, null, Timeout);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                provider.Messages.Enqueue(category + " scope: " + state);
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
