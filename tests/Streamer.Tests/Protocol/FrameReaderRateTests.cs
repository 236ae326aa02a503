using System.IO.Pipelines;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol;

/// <summary>The minimum data rate for a started frame, on a simulated clock (no real time passes).</summary>
public class FrameReaderRateTests
{
    private static readonly MinDataRate Rate = new(240, TimeSpan.FromSeconds(5));

    private static byte[] Ping() => RawPeer.Frame(new PongMessage(1, 2));

    /// <summary>The reader runs inside the writer's flush, so each written byte is seen before the clock moves on.</summary>
    private static Pipe InlinePipe() => new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    [Fact]
    public async Task A_frame_trickled_a_byte_a_second_fails_after_the_grace()
    {
        var pipe = InlinePipe();
        var clock = new ManualTimeProvider();
        var reader = new FrameReader(pipe.Reader, minRate: Rate, time: clock);
        byte[] frame = Ping();

        var reading = reader.ReadAsync().AsTask();
        for (int i = 0; i < 4; i++)
        {
            await pipe.Writer.WriteAsync(frame.AsMemory(i, 1));
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(reading.IsCompleted);
        }

        // 5 bytes in 5 s is far under 240 B/s: the grace is over.
        await pipe.Writer.WriteAsync(frame.AsMemory(4, 1));
        clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<FrameRateException>(() => reading.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("slower than the minimum of 240 B/s after 5 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_goes_silent_mid_frame_fails_when_the_timer_fires()
    {
        var pipe = InlinePipe();
        var clock = new ManualTimeProvider();
        var reader = new FrameReader(pipe.Reader, minRate: Rate, time: clock);
        await pipe.Writer.WriteAsync(Ping().AsMemory(0, 3));

        var reading = reader.ReadAsync().AsTask();
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(reading.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await Assert.ThrowsAsync<FrameRateException>(() => reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Slow_but_fast_enough_frames_and_long_pauses_between_frames_are_fine()
    {
        var pipe = InlinePipe();
        var clock = new ManualTimeProvider();
        var reader = new FrameReader(pipe.Reader, minRate: Rate, time: clock);
        byte[] frame = Ping();

        for (int round = 0; round < 3; round++)
        {
            var reading = reader.ReadAsync().AsTask();
            // Between frames the clock does not run: a minute of silence is no violation.
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.False(reading.IsCompleted);
            // The frame then comes slowly (a byte every 0.1 s: a few seconds, within the grace).
            for (int i = 0; i < frame.Length; i++)
            {
                await pipe.Writer.WriteAsync(frame.AsMemory(i, 1));
                if (i < frame.Length - 1)
                {
                    clock.Advance(TimeSpan.FromSeconds(0.1));
                }
            }

            Assert.Equal(FrameReadOutcome.Frame, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(FrameKind.Pong, reader.Current.Header.Kind);
        }
    }

    [Fact]
    public async Task A_large_frame_at_the_rate_may_take_longer_than_the_grace()
    {
        var pipe = InlinePipe();
        var clock = new ManualTimeProvider();
        var reader = new FrameReader(pipe.Reader, minRate: Rate, time: clock);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, FrameHeader.Control(FrameKind.Chat), new byte[4000]);
        byte[] frame = writer.WrittenSpan.ToArray();

        var reading = reader.ReadAsync().AsTask();
        // 300 B/s for 13 s: past the 5 s grace, but above 240 B/s all along.
        for (int offset = 0; offset < frame.Length; offset += 300)
        {
            await pipe.Writer.WriteAsync(frame.AsMemory(offset, Math.Min(300, frame.Length - offset)));
            if (offset + 300 < frame.Length)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.Equal(FrameReadOutcome.Frame, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Without_a_rate_nothing_is_timed()
    {
        var pipe = InlinePipe();
        var reader = new FrameReader(pipe.Reader);
        await pipe.Writer.WriteAsync(Ping().AsMemory(0, 3));
        var reading = reader.ReadAsync().AsTask();
        await pipe.Writer.WriteAsync(Ping().AsMemory(3));
        Assert.Equal(FrameReadOutcome.Frame, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
