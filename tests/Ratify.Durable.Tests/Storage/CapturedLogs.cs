using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ratify.Durable.Tests.Storage;

/// <summary>Keeps every log entry's event id and text, for tests that check what was logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _entries = new();

    public IReadOnlyList<(int EventId, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(_entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
