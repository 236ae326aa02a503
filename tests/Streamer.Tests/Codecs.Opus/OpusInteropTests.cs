using Streamer.Bench;
using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Tests.Media.Codecs;

namespace Streamer.Tests.Codecs.Opus;

/// <summary>Concentus and libopus speak the same bitstream: packets from one decode with the other.</summary>
public class OpusInteropTests
{
    [Theory]
    [InlineData("opus", "opus-native")]
    [InlineData("opus-native", "opus")]
    public void Packets_from_one_implementation_decode_with_the_other(string encoderName, string decoderName)
    {
        OpusNative.Require();
        byte[] source = CodecTestAudio.TwoTone(2);
        using var encoder = CodecRegistry.Default.Get(encoderName).CreateEncoder(new AudioFormat(48000, 2, SampleEncoding.Int16), new CodecOptions());
        var info = new StreamInfoMessage(decoderName, 48000, 2, "s16le", encoder.FrameSamples, 0, -1, encoder.Parameters);
        using var decoder = CodecRegistry.Default.Get(decoderName).CreateDecoder(info);
        Assert.Equal(encoderName == "opus" ? "concentus" : "libopus", encoder.Parameters["implementation"]);

        var output = new MemoryStream();
        var packet = new byte[encoder.MaxPacketBytes];
        var pcm = new byte[5760 * 4];
        int frameBytes = encoder.FrameSamples * 4;
        var padded = new byte[source.Length + (2 * frameBytes)];
        source.CopyTo(padded, 0);
        for (int offset = 0; offset + frameBytes <= padded.Length; offset += frameBytes)
        {
            int length = encoder.Encode(padded.AsSpan(offset, frameBytes), packet);
            output.Write(pcm, 0, decoder.Decode(packet.AsSpan(0, length), pcm));
        }

        byte[] decoded = output.ToArray().AsSpan(decoder.DelaySamples * 4, source.Length).ToArray();
        Assert.True(SignalComparison.SnrDb(source, decoded, 0, 2) >= 30);
    }
}
