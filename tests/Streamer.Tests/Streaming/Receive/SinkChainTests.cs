using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Cli;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Outputs;
using Streamer.Media.Sources;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Receive;

/// <summary>
/// The receiver's sink chain over in-process frames (no sockets): the depacketizer's gap and end-of-stream counts
/// reach any packet sink, and a sink that wants packets (the .opus recording) sits before the decoder, which is then
/// never made.
/// </summary>
public sealed class SinkChainTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task A_custom_packet_sink_sees_packets_in_order_with_gaps_counted_late_ones_dropped_and_the_end()
    {
        var sink = new ListSink();
        var stats = new PlaybackStats();
        var packets = new Depacketizer(sink, stats);

        await packets.AcceptAsync(Audio(0, [1, 2]), CancellationToken.None);
        await packets.AcceptAsync(Audio(3, [3]), CancellationToken.None);
        await packets.AcceptAsync(Audio(2, [4]), CancellationToken.None);
        await packets.AcceptAsync(Audio(4, [5, 6, 7]), CancellationToken.None);
        await packets.FinishAsync(totalFrames: 7, CancellationToken.None);

        Assert.Equal([(0u, 0u, 2), (3u, 2u, 1), (4u, 0u, 3)], sink.Seen);
        Assert.Equal([0UL, 3 * 960UL, 4 * 960UL], sink.Timestamps);
        Assert.Equal(2L, sink.LostAtEnd);
        Assert.Equal(4, stats.Lost);
        Assert.Equal(1, stats.Late);
        Assert.Equal(4, stats.Packets);
        Assert.Equal(0, stats.Concealed);
    }

    [Fact]
    public async Task A_packet_payload_split_by_the_network_reaches_the_sink_whole()
    {
        var sink = new ListSink();
        var packets = new Depacketizer(sink, new PlaybackStats());
        byte[] payload = [.. Enumerable.Range(0, 20).Select(i => (byte)i)];

        await packets.AcceptAsync(new Frame(new FrameHeader(FrameKind.Audio, 0, 0, 0), Segments.Split(payload, 3, 11)), CancellationToken.None);

        Assert.Equal(payload, sink.Payloads[0]);
    }

    [Fact]
    public async Task An_opus_recording_is_a_packet_sink_before_the_decoder_so_nothing_is_decoded_and_the_file_is_clean()
    {
        using var temp = new TempDirectory();
        string path = temp.File("rec.opus");
        var (stats, decoders) = await RunChainAsync(path, seconds: 2);

        Assert.Equal(0, decoders);
        Assert.Equal(2 * 48000, stats.SamplesPlayed);
        Assert.Equal(0, stats.Concealed);
        var info = ExternalTool.Run("opusinfo", path);
        Assert.Equal(0, info.ExitCode);
        Assert.DoesNotContain("warning", info.Stdout + info.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Playback length: 0m:02.000s", info.Stdout, StringComparison.Ordinal);
        var probe = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels", "-of", "default=nw=1", path);
        Assert.Equal(0, probe.ExitCode);
        Assert.Equal(string.Empty, probe.Stderr.Trim());
        Assert.Contains("codec_name=opus", probe.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wav_output_goes_behind_the_decoder_which_is_made_once()
    {
        using var temp = new TempDirectory();
        string path = temp.File("out.wav");
        var (stats, decoders) = await RunChainAsync(path, seconds: 1);

        Assert.Equal(1, decoders);
        await using var wav = await WavFile.OpenAsync(path);
        Assert.Equal(48000, wav.Header.DataLength / wav.Format.BlockAlign);
        Assert.Equal(48000, stats.SamplesPlayed);
    }

    /// <summary>
    /// Builds the CLI's chain for <paramref name="output"/> over an Opus stream and feeds it the sender's packets as
    /// frames; returns the stats and how many decoders the chain made.
    /// </summary>
    private static async Task<(PlaybackStats Stats, int Decoders)> RunChainAsync(string output, double seconds)
    {
        byte[] wav = CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(seconds));
        var factory = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(wav), "t", ct), CodecRegistry.Default.Get("opus"), new CodecOptions());
        await using var source = await factory.OpenAsync(CancellationToken.None);
        int decoders = 0;
        var stream = new ReceivedStream { Info = source.Info };
        using var context = new ReceiveContext(
            source.Info,
            stream,
            info =>
            {
                decoders++;
                return CodecRegistry.Default.Get(info.Codec).CreateDecoder(info);
            },
            NullLogger.Instance,
            CancellationToken.None);
        var sink = OutputSelector.CreateSink(output, device: null, new JitterBufferOptions(), context, NullLogger.Instance);
        await using (sink)
        {
            var packets = new Depacketizer(sink, stream.Stats);
            uint sequence = 0;
            while (await source.MoveNextAsync(CancellationToken.None))
            {
                var header = new FrameHeader(FrameKind.Audio, sequence, (ulong)sequence * (ulong)source.Info.FrameSamples, WallClock.NowMicroseconds());
                await packets.AcceptAsync(new Frame(header, source.Current), CancellationToken.None);
                sequence++;
            }

            await packets.FinishAsync(sequence, CancellationToken.None);
        }

        return (stream.Stats, decoders);
    }

    private static Frame Audio(uint sequence, byte[] payload)
        => new(new FrameHeader(FrameKind.Audio, sequence, sequence * 960UL, WallClock.NowMicroseconds()), new ReadOnlySequence<byte>(payload));

    /// <summary>A packet sink of a user's own: it keeps what it is given.</summary>
    private sealed class ListSink : IPacketSink
    {
        public List<(uint Sequence, uint LostBefore, int Length)> Seen { get; } = [];

        public List<ulong> Timestamps { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        public long? LostAtEnd { get; private set; }

        public ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
        {
            Seen.Add((packet.Sequence, packet.LostBefore, (int)packet.Payload.Length));
            Timestamps.Add(packet.Timestamp);
            Payloads.Add(packet.Payload.ToArray());
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken)
        {
            LostAtEnd = lostAtEnd;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
