using System.Buffers;
using MessagePack;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;

namespace Streamer.Tests.Protocol.ClockSync;

/// <summary>The one place the NTP arithmetic, the estimator and the pong answer live.</summary>
public class ClockSampleTests
{
    [Fact]
    public void Offset_and_round_trip_follow_ntp()
    {
        // Their clock is 1000 µs ahead; 100 µs each way; they hold the ping 50 µs.
        var sample = new ClockSample(T0: 0, T1: 1100, T2: 1150, T3: 250);
        Assert.Equal(200, sample.RoundTripMicroseconds);
        Assert.Equal(1000, sample.OffsetMicroseconds);
        Assert.True(sample.IsConsistent);
        Assert.False(new ClockSample(100, 0, 0, 50).IsConsistent);
    }

    [Fact]
    public void The_estimator_trusts_the_shortest_round_trip_and_ignores_inconsistent_samples()
    {
        var estimator = new ClockOffsetEstimator();
        Assert.True(estimator.Add(new ClockSample(0, 1500, 1500, 1000)));   // slow: offset 1000, rtt 1000
        Assert.True(estimator.Add(new ClockSample(2000, 3100, 3100, 2200))); // fast: offset 1000, rtt 200
        Assert.True(estimator.Add(new ClockSample(3000, 4900, 4900, 3800))); // slow and biased
        Assert.False(estimator.Add(new ClockSample(5000, 0, 0, 4000)));
        Assert.Equal(1000, estimator.OffsetMicroseconds);
        Assert.Equal(200, estimator.RoundTripMicroseconds);
        Assert.Equal(3, estimator.Samples);
    }

    [Fact]
    public void A_pong_answer_carries_the_pings_send_time_and_reads_back_as_a_sample()
    {
        var ping = new FrameHeader(FrameKind.Ping, 0, 0, SendTimeUs: 12345);
        long before = WallClock.NowMicroseconds();
        var pong = PingAnswer.For(ping);
        Assert.Equal(12345, pong.PingSendTimeUs);
        Assert.InRange(pong.PingReceiveTimeUs, before, WallClock.NowMicroseconds());

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        pong.Write(ref writer);
        writer.Flush();
        var frame = new Frame(new FrameHeader(FrameKind.Pong, 0, 0, pong.PingReceiveTimeUs), new ReadOnlySequence<byte>(buffer.WrittenMemory));
        Assert.True(ClockSample.TryRead(frame, out var sample));
        Assert.Equal(12345, sample.T0);
        Assert.Equal(pong.PingReceiveTimeUs, sample.T1);
        Assert.True(sample.T3 >= sample.T2);

        var notPong = new Frame(new FrameHeader(FrameKind.Ping, 0, 0, 0), ReadOnlySequence<byte>.Empty);
        Assert.False(ClockSample.TryRead(notPong, out _));
        var broken = new Frame(new FrameHeader(FrameKind.Pong, 0, 0, 0), new ReadOnlySequence<byte>(new byte[] { 0xc1 }));
        Assert.False(ClockSample.TryRead(broken, out _));
    }
}
