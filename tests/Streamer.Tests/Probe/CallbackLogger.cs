using Microsoft.Extensions.Logging;

namespace Streamer.Tests.Probe;

/// <summary>A logger that calls back on every event, so a test can act at a precise point of the code under test.</summary>
internal sealed class CallbackLogger(Action<EventId, string> onLog) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => onLog(eventId, formatter(state, exception));
}
