using System.Buffers;
using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Tests.Codecs.Opus;

namespace Streamer.Tests.Media.Codecs;

/// <summary>
/// Every registered codec's decoder against random packets (seeded): nothing a peer sends may throw, and the
/// output is always whole sample frames that fit the buffer; a packet a codec rejects is concealed as one frame.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Packets = 3000;

    public static TheoryData<string> Codecs()
    {
        var data = new TheoryData<string>();
        foreach (string name in CodecRegistry.Default.Names)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Random_packets_never_throw_and_decode_to_whole_frames_that_fit(string codecName)
    {
        var (codec, info) = await StreamOfAsync(codecName);
        using var decoder = codec.CreateDecoder(info);
        int blockAlign = decoder.OutputFormat.BlockAlign;
        // The buffer FrameDecoder gives a decoder: a frame, or 120 ms (Opus' longest packet), whichever is more.
        var pcm = new byte[Math.Max(info.FrameSamples, decoder.OutputFormat.SampleRate * 120 / 1000) * blockAlign];
        int maxPacket = Math.Max(info.FrameSamples * blockAlign, 16 * 1024);
        var random = new Random(15);
        var packet = new byte[2 * maxPacket];
        for (int i = 0; i < Packets; i++)
        {
            // Mostly short packets (where codecs parse headers), some up to and past the largest a stream allows.
            int length = (i % 10) switch
            {
                < 6 => random.Next(0, 64),
                < 9 => random.Next(0, maxPacket + 1),
                _ => random.Next(maxPacket, packet.Length + 1),
            };
            random.NextBytes(packet.AsSpan(0, length));
            int decoded = decoder.Decode(packet.AsSpan(0, length), pcm);
            Assert.True(decoded == IAudioDecoder.Corrupt || (decoded >= 0 && decoded <= pcm.Length && decoded % blockAlign == 0), $"{codecName}: packet {i} ({length} bytes) decoded to {decoded} bytes");

            int concealed = decoder.Conceal(info.FrameSamples, random.Next(2) == 0 ? packet.AsSpan(0, Math.Min(length, 1275)) : [], pcm);
            Assert.Equal(info.FrameSamples * blockAlign, concealed);
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_stream_of_random_payloads_goes_on_in_whole_frames_up_to_the_announced_total(string codecName)
    {
        var (codec, announced) = await StreamOfAsync(codecName);
        long totalSamples = 200L * announced.FrameSamples;
        var info = announced with { TotalSamples = totalSamples };
        var sink = new CountingSink();
        var stats = new PlaybackStats();
        var audioDecoder = codec.CreateDecoder(info);
        await using var decoder = new FrameDecoder(audioDecoder, info, sink, stats);
        var packets = new Depacketizer(decoder, stats);
        int blockAlign = audioDecoder.OutputFormat.BlockAlign;
        int maxPayload = Math.Max(info.FrameSamples * blockAlign, 16 * 1024);
        var random = new Random(16);
        uint sequence = 0;
        for (int i = 0; i < 400; i++)
        {
            byte[] payload = new byte[random.Next(3) == 0 ? random.Next(0, maxPayload + 1) : random.Next(0, 300)];
            random.NextBytes(payload);
            // Now and then a gap, as a lagging client sees.
            sequence += random.Next(20) == 0 ? (uint)random.Next(2, 5) : 1;
            await packets.AcceptAsync(Audio(sequence, payload, info.FrameSamples), CancellationToken.None);
            Assert.True(sink.Bytes % blockAlign == 0, $"{codecName}: {sink.Bytes} bytes written after frame {i}");
            Assert.InRange(sink.Bytes, 0, totalSamples * blockAlign);
        }

        var oversize = Audio(sequence + 1, new byte[maxPayload + 1], info.FrameSamples);
        await Assert.ThrowsAsync<ProtocolException>(() => packets.AcceptAsync(oversize, CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData("opus")]
    [InlineData("opus-native")]
    public async Task A_packet_opus_rejects_is_concealed_and_counted_as_one_lost_frame(string codecName)
    {
        if (codecName == OpusCodec.NativeName)
        {
            OpusNative.Require();
        }

        var (codec, info) = await StreamOfAsync(codecName);
        var sink = new CountingSink();
        var stats = new PlaybackStats();
        await using var decoder = new FrameDecoder(codec.CreateDecoder(info), info, sink, stats);
        var packets = new Depacketizer(decoder, stats);
        using var encoder = codec.CreateEncoder(new AudioFormat(48000, 2, SampleEncoding.Int16), new CodecOptions());
        var good = new byte[encoder.MaxPacketBytes];
        int goodLength = encoder.Encode(CodecTestAudio.TwoTone(0.02).AsSpan(0, encoder.FrameSamples * 4), good);
        // TOC code 3 ("arbitrary number of frames") with a frame count of 0: invalid by RFC 6716 §3.2.5.
        byte[] corrupt = [0x03, 0x00];

        await packets.AcceptAsync(Audio(0, good[..goodLength], info.FrameSamples), CancellationToken.None);
        await packets.AcceptAsync(Audio(1, corrupt, info.FrameSamples), CancellationToken.None);
        await packets.AcceptAsync(Audio(2, [], info.FrameSamples), CancellationToken.None);
        await packets.AcceptAsync(Audio(3, good[..goodLength], info.FrameSamples), CancellationToken.None);

        Assert.Equal((4L * info.FrameSamples) - int.Parse(info.Parameters["pre-skip"], System.Globalization.CultureInfo.InvariantCulture), sink.Bytes / 4);
        Assert.Equal(2, stats.Lost);
        Assert.Equal(2, stats.Concealed);
    }

    /// <summary>The stream info a server would announce for <paramref name="codecName"/> (48 kHz stereo 16-bit source).</summary>
    private static async Task<(IAudioCodec Codec, StreamInfoMessage Info)> StreamOfAsync(string codecName)
    {
        if (codecName == OpusCodec.NativeName)
        {
            OpusNative.Require();
        }

        var codec = CodecRegistry.Default.Get(codecName);
        byte[] wav = CodecTestAudio.Wav(new AudioFormat(48000, 2, SampleEncoding.Int16), CodecTestAudio.TwoTone(0.1));
        var factory = new FrameSourceFactory(ct => Streamer.Media.Sources.WavFileSource.OpenAsync(new MemoryStream(wav, writable: false), "fuzz", ct), codec, new CodecOptions());
        await using var source = await factory.OpenAsync(CancellationToken.None);
        return (codec, source.Info);
    }

    private static Frame Audio(uint sequence, byte[] payload, int frameSamples)
        => new(new FrameHeader(FrameKind.Audio, sequence, sequence * (ulong)frameSamples, WallClock.NowMicroseconds()), new ReadOnlySequence<byte>(payload));

    private sealed class CountingSink : IPcmOutputSink
    {
        public string Description => "counting";

        public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public long Bytes { get; private set; }

        public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs)
        {
            Bytes += pcm.Length;
            return true;
        }

        public ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
