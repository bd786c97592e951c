using Microsoft.Extensions.Logging;
using Ratify.Durable.History;
using Ratify.Durable.Replay;

namespace Ratify.Durable.Tests.Replay;

public sealed class ReplaySafeLoggerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Execute_ReplayedEpisodes_LogEachEntryOnce()
    {
        var lines = new List<string>();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines)));
        var (tasks, services) = TestTasks.From(registry => registry.AddOrchestratorFunc<string, string>("Logs", async (ctx, _) =>
        {
            var log = ctx.CreateReplaySafeLogger("test");
            log.LogInformation("before A");
            await ctx.CallActivityAsync<string>("A");
            log.LogInformation("after A");
            return "done";
        }));
        var executor = new OrchestrationExecutor(tasks, services, loggers);
        List<HistoryEvent> first = [new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "Logs", null, "e1")];

        executor.Execute("i1", [], first);
        executor.Execute("i1", [.. first, new TaskScheduledEvent(0, T0, "A", null)], [new OrchestratorStartedEvent(-1, T0), new TaskCompletedEvent(-1, T0, 0, "\"a\"")]);

        Assert.Equal(["before A", "after A"], lines);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add(formatter(state, exception));
    }
}
