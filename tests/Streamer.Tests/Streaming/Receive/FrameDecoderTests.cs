using System.Buffers;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming.Receive;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Receive;

public sealed class FrameDecoderTests
{
    private const int FrameSamples = 4;
    private const int BlockAlign = 4; // stereo s16

    [Fact]
    public async Task Pcm_payloads_reach_the_sink_unchanged_however_the_network_split_them()
    {
        byte[] payload = Enumerable.Range(0, FrameSamples * BlockAlign).Select(i => (byte)(i + 1)).ToArray();
        for (int cut = 0; cut <= payload.Length; cut++)
        {
            var (decoder, sink) = Create(totalSamples: -1);
            await decoder.AcceptAsync(Audio(0, Segments.Split(payload, cut, cut + 5)), CancellationToken.None);
            Assert.Equal(payload, sink.Written);
        }
    }

    [Fact]
    public async Task A_sink_that_is_full_is_waited_for_and_nothing_is_lost()
    {
        var (decoder, sink) = Create(totalSamples: -1);
        sink.RefuseNext = 2;
        byte[] payload = Enumerable.Range(0, FrameSamples * BlockAlign).Select(i => (byte)i).ToArray();

        await decoder.AcceptAsync(Audio(0, new ReadOnlySequence<byte>(payload)), CancellationToken.None);

        Assert.Equal(payload, sink.Written);
        Assert.Equal(2, sink.Waits);
    }

    [Fact]
    public async Task A_gap_is_filled_with_silence_and_the_end_is_trimmed_to_the_announced_total()
    {
        var (decoder, sink) = Create(totalSamples: FrameSamples * 2 + 1);
        byte[] frame = Enumerable.Repeat((byte)7, FrameSamples * BlockAlign).ToArray();

        await decoder.AcceptAsync(Audio(0, new ReadOnlySequence<byte>(frame)), CancellationToken.None);
        await decoder.AcceptAsync(Audio(2, new ReadOnlySequence<byte>(frame)), CancellationToken.None);

        byte[] expected = [.. frame, .. new byte[FrameSamples * BlockAlign], .. frame[..BlockAlign]];
        Assert.Equal(expected, sink.Written);
    }

    [Fact]
    public async Task A_trailing_partial_sample_frame_is_dropped()
    {
        var (decoder, sink) = Create(totalSamples: -1);
        byte[] payload = Enumerable.Range(0, (FrameSamples * BlockAlign) - 1).Select(i => (byte)(i + 1)).ToArray();

        await decoder.AcceptAsync(Audio(0, Segments.Split(payload, 6)), CancellationToken.None);

        Assert.Equal(payload[..((FrameSamples - 1) * BlockAlign)], sink.Written);
    }

    [Fact]
    public async Task Frames_missing_at_the_end_are_concealed_up_to_the_announced_count_trimmed_and_the_sink_completed()
    {
        var (packets, sink) = Create(totalSamples: FrameSamples * 3 - 1);
        byte[] frame = Enumerable.Repeat((byte)7, FrameSamples * BlockAlign).ToArray();

        await packets.AcceptAsync(Audio(0, new ReadOnlySequence<byte>(frame)), CancellationToken.None);
        Assert.False(sink.Completed);
        await packets.FinishAsync(totalFrames: 3, CancellationToken.None);

        byte[] expected = [.. frame, .. new byte[(FrameSamples * 2 - 1) * BlockAlign]];
        Assert.Equal(expected, sink.Written);
        Assert.True(sink.Completed);
    }

    [Fact]
    public async Task The_decoder_stage_owns_its_sink_and_finalizes_it_once()
    {
        var info = Info(-1);
        var sink = new RecordingSink();
        var decoder = new FrameDecoder(new PcmCodec().CreateDecoder(info), info, sink, new PlaybackStats());

        await decoder.DisposeAsync();
        await decoder.DisposeAsync();

        Assert.Equal(1, sink.Disposals);
    }

    private static (Depacketizer Packets, RecordingSink Sink) Create(long totalSamples)
    {
        var info = Info(totalSamples);
        var sink = new RecordingSink();
        var stats = new PlaybackStats();
        var decoder = new FrameDecoder(new PcmCodec().CreateDecoder(info), info, sink, stats);
        return (new Depacketizer(decoder, stats), sink);
    }

    private static StreamInfoMessage Info(long totalSamples)
        => new(PcmCodec.CodecName, 48000, 2, "s16le", FrameSamples, 0, totalSamples, new Dictionary<string, string>());

    private static Frame Audio(uint sequence, ReadOnlySequence<byte> payload)
        => new(new FrameHeader(FrameKind.Audio, sequence, sequence * FrameSamples, WallClock.NowMicroseconds()), payload);

    private sealed class RecordingSink : IPcmOutputSink
    {
        public List<byte> Written { get; } = [];

        public string Description => "recording";

        public bool Completed { get; private set; }

        public int Disposals { get; private set; }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            Completed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return ValueTask.CompletedTask;
        }

        public int RefuseNext { get; set; }

        public int Waits { get; private set; }

        public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs)
        {
            if (RefuseNext > 0)
            {
                RefuseNext--;
                return false;
            }

            Written.AddRange(pcm.ToArray());
            return true;
        }

        public ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken)
        {
            Waits++;
            return ValueTask.CompletedTask;
        }
    }
}
