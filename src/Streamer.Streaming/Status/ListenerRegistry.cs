using Streamer.Protocol;
using Streamer.Streaming.Send;

namespace Streamer.Streaming.Status;

/// <summary>
/// The protocol listeners of one server, for status pages: each session adds itself once streaming and removes itself
/// when it ends; a listener's report replaces its previous one. Reads take a snapshot (a few times a second at most);
/// the audio path never touches this.
/// </summary>
internal sealed class ListenerRegistry
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public Entry Add(string remote, string agent, SessionOutput output)
    {
        var entry = new Entry(remote, agent, DateTimeOffset.UtcNow, output);
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

    public IReadOnlyList<ListenerSnapshot> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<ListenerSnapshot>(_entries.Count);
            foreach (var entry in _entries)
            {
                list.Add(entry.ToSnapshot());
            }

            return list;
        }
    }

    internal sealed class Entry(string remote, string agent, DateTimeOffset connectedAt, SessionOutput output)
    {
        private volatile Report? _report;

        public void Accept(ClientStatsMessage stats) => _report = new Report(stats, DateTimeOffset.UtcNow);

        public ListenerSnapshot ToSnapshot()
        {
            var report = _report;
            return new ListenerSnapshot(remote, agent, connectedAt, output.FramesSent, output.BytesSent, output.FramesDropped, report?.Stats, report?.At);
        }

        private sealed record Report(ClientStatsMessage Stats, DateTimeOffset At);
    }
}
