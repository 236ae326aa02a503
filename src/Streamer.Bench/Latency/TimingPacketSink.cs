using System.Runtime.CompilerServices;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;

namespace Streamer.Bench.Latency;

/// <summary>
/// The head of the bench's sink chain: stamps each packet as it enters (its arrival, send time, media time, size
/// and the clock offset then) and when the decoder stage behind it has put its PCM into the jitter buffer; also the
/// jitter buffer's playout log, which stamps when the output pulls each frame and when it will be heard. Array
/// stores only: nothing allocates per packet (the await is pooled, and taken only when the buffer is full).
/// </summary>
internal sealed class TimingPacketSink : IPacketSink, IPlayoutLog
{
    private readonly StageTimeline _timeline;
    private readonly ArrivalConnector _arrivals;
    private readonly ClockOffsetEstimator _offset;
    private readonly double _microsecondsPerSample;

    /// <summary>A sink made before the chain it stamps (the chain takes it as its playout log); <see cref="Inner"/> is set right after.</summary>
    public TimingPacketSink(StageTimeline timeline, ArrivalConnector arrivals, ClockOffsetEstimator offset, int sampleRate)
    {
        _timeline = timeline;
        _arrivals = arrivals;
        _offset = offset;
        _microsecondsPerSample = 1e6 / sampleRate;
    }

    /// <summary>The decoder stage this sink stamps around.</summary>
    public IPacketSink? Inner { get; set; }

    private IPacketSink Next => Inner ?? throw new InvalidOperationException("the bench's sink has no chain behind it");

    public ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
    {
        long now = WallClock.NowMicroseconds();
        int index = _timeline.IndexOf(packet.Sequence);
        if (index >= 0)
        {
            _timeline.Parsed[index] = now;
            long arrived = _arrivals.LastArrivalUs;
            _timeline.Arrived[index] = arrived == 0 || arrived > now ? now : arrived;
            _timeline.Sent[index] = packet.SendTimeUs;
            _timeline.MediaUs[index] = (long)Math.Round(packet.Timestamp * _microsecondsPerSample);
            _timeline.Bytes[index] = (int)packet.Payload.Length;
            _timeline.OffsetAtArrival[index] = _offset.OffsetMicroseconds;
        }

        var write = Next.WriteAsync(packet, cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            if (index >= 0)
            {
                _timeline.Decoded[index] = WallClock.NowMicroseconds();
            }

            return ValueTask.CompletedTask;
        }

        return AwaitAsync(write, index);
    }

    public ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken) => Next.CompleteAsync(lostAtEnd, cancellationToken);

    public ValueTask DisposeAsync() => Next.DisposeAsync();

    /// <summary>On the output's thread, as it pulls the frame: the jitter wait ends now, and it is heard at <paramref name="presentedServerUs"/>.</summary>
    public void Played(uint sequence, ulong timestamp, long presentedServerUs)
    {
        int index = _timeline.Find(sequence);
        if (index < 0 || _timeline.Readout[index] != 0)
        {
            return;
        }

        _timeline.Readout[index] = WallClock.NowMicroseconds();
        _timeline.PresentedServer[index] = presentedServerUs;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask write, int index)
    {
        await write;
        if (index >= 0)
        {
            _timeline.Decoded[index] = WallClock.NowMicroseconds();
        }
    }
}
