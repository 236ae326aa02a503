using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Streamer.Transport;

namespace Streamer.Streaming.Send;

/// <summary>
/// One timer for every session of a server: once a second it looks at each watched session's send in progress and cuts
/// off a client that has taken nothing for the stall timeout, freeing its slot. One timer per session cost a thousand
/// timer callbacks and thread-pool wake-ups a second for a thousand listeners, and a timer object each.
/// </summary>
internal sealed class StallWatchdog : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly HashSet<Watched> _watched = [];
    private readonly List<Watched> _stalled = [];
    private readonly Lock _lock = new();
    private readonly Timer _timer;

    public StallWatchdog(TimeSpan timeout, TimeSpan? period = null)
    {
        _timeout = timeout;
        var every = period ?? TimeSpan.FromSeconds(1);
        _timer = new Timer(static s => ((StallWatchdog)s!).Check(), this, every, every);
    }

    /// <summary>Watches <paramref name="output"/>'s sends until the returned handle is disposed; a stall aborts <paramref name="connection"/>.</summary>
    public IDisposable Watch(SessionOutput output, IConnection connection)
    {
        var watched = new Watched(this, output, connection);
        lock (_lock)
        {
            _watched.Add(watched);
        }

        return watched;
    }

    /// <summary>Looks once at every watched session (the timer's callback; tests call it with a fake timeout instead).</summary>
    public void Check()
    {
        Watched[] stalled;
        lock (_lock)
        {
            foreach (var watched in _watched)
            {
                long started = watched.Output.SendStartedTicks;
                if (started != 0 && Stopwatch.GetElapsedTime(started) > _timeout)
                {
                    _stalled.Add(watched);
                }
            }

            if (_stalled.Count == 0)
            {
                return;
            }

            foreach (var watched in _stalled)
            {
                _watched.Remove(watched);
            }

            // Taken out under the lock: a late timer callback can overlap the next one (a loaded machine), and the
            // two must not share the list while one aborts outside the lock. A copy only when something stalled.
            stalled = [.. _stalled];
            _stalled.Clear();
        }

        // Outside the lock: logging and aborting take their time, and nothing else needs the set meanwhile.
        foreach (var watched in stalled)
        {
            StreamingLog.ClientDropped(watched.Output.Logger, watched.Output.Remote, $"took no data for {_timeout.TotalSeconds:0.#} s");
            watched.Connection.Abort();
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Remove(Watched watched)
    {
        lock (_lock)
        {
            _watched.Remove(watched);
        }
    }

    private sealed class Watched(StallWatchdog owner, SessionOutput output, IConnection connection) : IDisposable
    {
        public SessionOutput Output { get; } = output;

        public IConnection Connection { get; } = connection;

        public void Dispose() => owner.Remove(this);
    }
}
