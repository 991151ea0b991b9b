using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>Keeps every formatted log message of the host, so a test can read what the daemon said (backoff delays).</summary>
internal sealed class RecordedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => _messages.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(RecordedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log._messages.Enqueue(formatter(state, exception));
        }
    }
}
