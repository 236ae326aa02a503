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

/// <summary>The median/min-RTT filter: robust to queueing outliers, and settled within the burst at connect.</summary>
public class ClockOffsetFilterTests
{
    [Fact]
    public void Delays_on_one_leg_do_not_move_the_estimate_and_the_burst_settles_it()
    {
        var estimator = new ClockOffsetEstimator();
        var random = new Random(3);
        long now = 0;
        for (int i = 0; i < Streamer.Streaming.ClockSync.ClockPinger.QuickPings; i++)
        {
            now += 10_000;
            // Their clock is 5 ms ahead; 100-130 µs each way, and every third exchange queued 2-20 ms on one leg.
            long up = 100 + random.Next(30) + (i % 3 == 0 ? random.Next(2_000, 20_000) : 0);
            long down = 100 + random.Next(30) + (i % 3 == 1 ? random.Next(2_000, 20_000) : 0);
            estimator.Add(new ClockSample(now, now + up + 5_000, now + up + 5_000, now + up + down));
        }

        Assert.InRange(estimator.OffsetMicroseconds, 5_000 - 20, 5_000 + 20);
        Assert.InRange(estimator.RoundTripMicroseconds, 200, 260);
        Assert.Equal(Streamer.Streaming.ClockSync.ClockPinger.QuickPings, estimator.Samples);
    }

    [Fact]
    public void The_window_forgets_old_exchanges_so_a_changed_offset_is_followed()
    {
        var estimator = new ClockOffsetEstimator();
        for (int i = 0; i < ClockOffsetEstimator.Window; i++)
        {
            estimator.Add(new ClockSample(i * 1000, (i * 1000) + 100 + 1_000, (i * 1000) + 100 + 1_000, (i * 1000) + 200));
        }

        Assert.Equal(1_000, estimator.OffsetMicroseconds);
        for (int i = 0; i < ClockOffsetEstimator.Window; i++)
        {
            long t = 1_000_000 + (i * 1000);
            estimator.Add(new ClockSample(t, t + 100 + 3_000, t + 100 + 3_000, t + 200));
        }

        Assert.Equal(3_000, estimator.OffsetMicroseconds);
    }
}
