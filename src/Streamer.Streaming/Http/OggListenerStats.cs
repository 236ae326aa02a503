namespace Streamer.Streaming.Http;

/// <summary>What one Ogg stream listener was sent; updated by its writer, read by anyone (status pages) at any time.</summary>
public sealed class OggListenerStats
{
    private long _pages;
    private long _bytes;
    private long _packets;
    private long _skipped;

    /// <summary>Ogg pages written, headers included.</summary>
    public long Pages => Volatile.Read(ref _pages);

    /// <summary>Bytes written (whole pages).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Opus packets written.</summary>
    public long Packets => Volatile.Read(ref _packets);

    /// <summary>Packets skipped because this listener fell behind the live edge.</summary>
    public long Skipped => Volatile.Read(ref _skipped);

    internal void AddPage(int bytes)
    {
        Volatile.Write(ref _pages, _pages + 1);
        Volatile.Write(ref _bytes, _bytes + bytes);
    }

    internal void AddPackets(int packets) => Volatile.Write(ref _packets, _packets + packets);

    internal void AddSkipped(long packets) => Volatile.Write(ref _skipped, _skipped + packets);
}
