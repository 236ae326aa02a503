using Streamer.Streaming.Http;

namespace Streamer.Web;

/// <summary>The HTTP stream listeners connected now, for the status page. Touched once per connect/disconnect and per snapshot.</summary>
internal sealed class HttpListenerRegistry
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public Entry Add(string remote, string userAgent)
    {
        var entry = new Entry(remote, userAgent, DateTimeOffset.UtcNow, new OggListenerStats());
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return entry;
    }

    public void Remove(Entry entry)
    {
        lock (_lock)
        {
            _entries.Remove(entry);
        }
    }

    public Entry[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    internal sealed record Entry(string Remote, string UserAgent, DateTimeOffset ConnectedAt, OggListenerStats Stats);
}
