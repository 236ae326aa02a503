using System.Buffers.Binary;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Streaming;

namespace Streamer.Tests.Media.Codecs;

public class G711Tests
{
    [Theory]
    [InlineData((short)0, (byte)0xFF)]
    [InlineData((short)-1, (byte)0x7F)]
    [InlineData((short)32767, (byte)0x80)]
    [InlineData((short)-32768, (byte)0x00)]
    [InlineData((short)1000, (byte)0xCE)]
    public void Ulaw_encodes_the_standard_codes(short sample, byte code)
        => Assert.Equal(code, G711.EncodeUlaw(sample));

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-8, (byte)0x55)]
    [InlineData((short)32767, (byte)0xAA)]
    [InlineData((short)-32768, (byte)0x2A)]
    [InlineData((short)1000, (byte)0xFA)]
    public void Alaw_encodes_the_standard_codes(short sample, byte code)
        => Assert.Equal(code, G711.EncodeAlaw(sample));

    [Fact]
    public void Every_code_survives_decode_then_encode()
    {
        for (int code = 0; code < 256; code++)
        {
            // µ-law has two zeros (0x7F, 0xFF): both decode to 0, which encodes as 0xFF.
            byte ulaw = (byte)code == 0x7F ? (byte)0xFF : (byte)code;
            Assert.Equal(ulaw, G711.EncodeUlaw(G711.DecodeUlaw((byte)code)));
            Assert.Equal((byte)code, G711.EncodeAlaw(G711.DecodeAlaw((byte)code)));
        }
    }

    [Theory]
    [InlineData("ulaw")]
    [InlineData("alaw")]
    public async Task Two_tone_at_48k_comes_back_at_8k_with_the_same_duration_and_good_snr(string name)
    {
        var codec = CodecRegistry.Default.Get(name);
        byte[] samples = CodecTestAudio.TwoTone(2);
        var (output, info, _) = await CodecTestAudio.RoundTripAsync(codec, new CodecOptions(), CodecTestAudio.Wav(new AudioFormat(48000, 2, SampleEncoding.Int16), samples));

        Assert.Equal(8000, info.SampleRate);
        Assert.Equal(16000, info.TotalSamples);
        Assert.Equal(16000 * 4, output.Length);
        byte[] reference = new PcmClip("ref", new AudioFormat(48000, 2, SampleEncoding.Int16), samples).ConvertTo(new AudioFormat(8000, 2, SampleEncoding.Int16));
        Assert.True(SignalComparison.SnrDb(reference, output, 0, 2) > 30);
    }

    [Fact]
    public void Lost_frames_repeat_the_last_one_fading_to_silence()
    {
        var codec = CodecRegistry.Default.Get("ulaw");
        var info = new Streamer.Protocol.StreamInfoMessage("ulaw", 8000, 1, "s16le", 160, 0, -1, new Dictionary<string, string>());
        using var decoder = codec.CreateDecoder(info);
        var packet = new byte[160];
        for (int i = 0; i < packet.Length; i++)
        {
            packet[i] = G711.EncodeUlaw(8000);
        }

        var pcm = new byte[320];
        Assert.Equal(320, decoder.Decode(packet, pcm));
        short good = BinaryPrimitives.ReadInt16LittleEndian(pcm);

        Assert.Equal(320, decoder.Conceal(160, [], pcm));
        Assert.Equal(good, BinaryPrimitives.ReadInt16LittleEndian(pcm));
        short endOfFirst = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(318));
        Assert.InRange(endOfFirst, 1, good - 1);

        for (int loss = 2; loss <= G711Decoder.FadeFrames; loss++)
        {
            decoder.Conceal(160, [], pcm);
        }

        Assert.Equal(320, decoder.Conceal(160, [], pcm));
        Assert.All(pcm, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_bitrate_g711_cannot_run_at_is_refused()
    {
        var error = Assert.Throws<CodecException>(() => CodecRegistry.Default.Get("alaw").CreateEncoder(new AudioFormat(8000, 1, SampleEncoding.Int16), new CodecOptions { Bitrate = 32000 }));
        Assert.Contains("64 kbit/s", error.Message, StringComparison.Ordinal);
    }
}
