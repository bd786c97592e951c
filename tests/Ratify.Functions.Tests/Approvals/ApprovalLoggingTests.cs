using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Approvals;

[Collection(AzuriteCollection.Name)]
public sealed class ApprovalLoggingTests(AzuriteFixture azurite)
    : ApprovalTestBase(azurite, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" })
{
    [Fact(Timeout = 60_000)]
    public async Task A_link_token_never_reaches_the_logs_even_at_trace_level()
    {
        var capture = new CapturingLoggerProvider();
        await using var logged = App.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture)));
        using var admin = Admin();
        await CreateWorkflowAsync(admin, GateWorkflow("gated", """{"approvers": ["alice@example.com"]}"""));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
        var link = await LinkAsync(approvalId, "alice@example.com");
        var token = Uri.UnescapeDataString(link.Context.Split("token=")[1]);

        using var person = logged.CreateClient();
        using (var open = await person.GetAsync(link.Context, Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        using (var tampered = await person.GetAsync(link.Context[..^3] + "abc", Timeout))
        {
            Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        }

        using (var resolve = await ResolveAsync(person, link.Resolve, "approved"))
        {
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        }

        await WaitForStatusAsync(admin, runId, "completed");
        Assert.NotEmpty(capture.Messages);
        Assert.DoesNotContain(capture.Messages, m => m.Contains(token, StringComparison.Ordinal) || m.Contains(token[^20..], StringComparison.Ordinal));
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
