using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>
/// The head of the receiver's sink chain: turns audio frames from the wire into <see cref="ReceivedPacket"/>s for a
/// packet sink, in sequence order. Counts packets, drops late ones (a sequence already passed), counts the missing
/// ones before each packet (a gap) and, at the end of the stream, after the last one. Does not own the sink.
/// </summary>
internal sealed class Depacketizer
{
    private readonly IPacketSink _sink;
    private readonly PlaybackStats _stats;
    private uint _expectedSequence;
    private bool _started;

    public Depacketizer(IPacketSink sink, PlaybackStats stats)
    {
        _sink = sink;
        _stats = stats;
    }

    /// <summary>Passes one audio frame on; its payload is valid only during the call.</summary>
    public ValueTask AcceptAsync(in Frame frame, CancellationToken cancellationToken)
    {
        var header = frame.Header;
        _stats.AddPacket((int)frame.Payload.Length);
        if (!_started)
        {
            // A broadcast listener joins mid-stream: its first frame is where its stream starts, not a gap.
            _started = true;
            _expectedSequence = header.Sequence;
        }

        if (header.Sequence < _expectedSequence)
        {
            _stats.AddLate();
            return ValueTask.CompletedTask;
        }

        uint missing = header.Sequence - _expectedSequence;
        if (missing > 0)
        {
            _stats.AddLost(missing);
        }

        _expectedSequence = header.Sequence + 1;
        return _sink.WriteAsync(new ReceivedPacket(header.Sequence, header.Timestamp, header.SendTimeUs, frame.Payload, missing, header.PresentationTimeUs), cancellationToken);
    }

    /// <summary>The end of the stream, <paramref name="totalFrames"/> frames sent in all: completes the sink.</summary>
    public ValueTask FinishAsync(long totalFrames, CancellationToken cancellationToken)
    {
        long missing = Math.Max(0, totalFrames - _expectedSequence);
        if (missing > 0)
        {
            _stats.AddLost(missing);
            _expectedSequence = (uint)Math.Min(totalFrames, uint.MaxValue);
        }

        return _sink.CompleteAsync(missing, cancellationToken);
    }
}
