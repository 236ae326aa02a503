using System.Buffers.Text;
using System.Text;
using Streamer.Media.Outputs;
using Streamer.Protocol;

namespace Streamer.Bench.Trace;

/// <summary>
/// <c>play --record-trace FILE</c>: sits at the head of the receiver's sink chain and writes one line per frame as
/// it arrives (<see cref="ArrivalTrace"/>'s format), then passes the frame on. The line is formatted into a
/// preallocated buffer and written to a buffered file: no allocation per packet. Owns the sink behind it.
/// </summary>
public sealed class TraceRecordingSink : IPacketSink
{
    private readonly IPacketSink _inner;
    private readonly FileStream _file;
    private readonly byte[] _line = new byte[96];

    private TraceRecordingSink(IPacketSink inner, FileStream file)
    {
        _inner = inner;
        _file = file;
    }

    /// <summary>Creates <paramref name="path"/> (replacing it) with the trace's header lines and returns the sink
    /// that records into it in front of <paramref name="inner"/>.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static TraceRecordingSink Create(string path, IPacketSink inner, string codec, int sampleRate, int channels, int frameSamples)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        try
        {
            string header = ArrivalTrace.Magic + "\n" + ArrivalTrace.StreamLine(codec, sampleRate, channels, frameSamples) + "\n" + ArrivalTrace.Columns + "\n";
            file.Write(Encoding.UTF8.GetBytes(header));
            return new TraceRecordingSink(inner, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
    {
        long now = WallClock.NowMicroseconds();
        var line = _line.AsSpan();
        int n = 0;
        Utf8Formatter.TryFormat(now, line, out int written);
        n += written;
        line[n++] = (byte)',';
        Utf8Formatter.TryFormat(packet.Sequence, line[n..], out written);
        n += written;
        line[n++] = (byte)',';
        Utf8Formatter.TryFormat(packet.Timestamp, line[n..], out written);
        n += written;
        line[n++] = (byte)',';
        Utf8Formatter.TryFormat(packet.Payload.Length, line[n..], out written);
        n += written;
        line[n++] = (byte)'\n';
        _file.Write(line[..n]);
        return _inner.WriteAsync(packet, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken) => _inner.CompleteAsync(lostAtEnd, cancellationToken);

    /// <summary>Flushes and closes the trace, then finalizes the chain behind it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _file.DisposeAsync();
        }
        finally
        {
            await _inner.DisposeAsync();
        }
    }
}
