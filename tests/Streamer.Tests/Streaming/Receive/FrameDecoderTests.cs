using System.Buffers;
using Streamer.Media.Codecs;
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

    private static (FrameDecoder Decoder, RecordingSink Sink) Create(long totalSamples)
    {
        var info = new StreamInfoMessage(PcmCodec.CodecName, 48000, 2, "s16le", FrameSamples, 0, totalSamples, new Dictionary<string, string>());
        var sink = new RecordingSink();
        var decoder = new FrameDecoder(new PcmCodec().CreateDecoder(info), info, sink, new PlaybackStats());
        return (decoder, sink);
    }

    private static Frame Audio(uint sequence, ReadOnlySequence<byte> payload)
        => new(new FrameHeader(FrameKind.Audio, sequence, sequence * FrameSamples, WallClock.NowMicroseconds()), payload);

    private sealed class RecordingSink : IPcmSink
    {
        public List<byte> Written { get; } = [];

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
