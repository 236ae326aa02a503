using Streamer.Media;
using Streamer.Media.Codecs;

namespace Int8Sample;

/// <summary>
/// "int8": 16-bit PCM cut to its rounded top byte, one signed byte a sample. Half the bytes of 16-bit PCM, 48 dB of
/// dynamic range; the error of one sample is at most half a step (128 of 32768).
/// </summary>
public sealed class Int8Codec : IAudioCodec
{
    public string Name => "int8";

    public string Description => "sample plug-in: 16-bit PCM rounded to 8 bits (half the bytes, 48 dB range)";

    public CodecPayloadKind PayloadKind => CodecPayloadKind.Encoded;

    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
    {
        int frameSamples = (int)Math.Round(options.FrameMilliseconds * source.SampleRate / 1000);
        if (frameSamples < 1)
        {
            throw new CodecException($"int8 frames must hold at least one sample, not {options.FrameMilliseconds} ms");
        }

        return new Encoder(new AudioFormat(source.SampleRate, source.Channels, SampleEncoding.Int16), frameSamples);
    }

    public IAudioDecoder CreateDecoder(CodecStreamInfo stream)
        => new Decoder(new AudioFormat(stream.Format.SampleRate, stream.Format.Channels, SampleEncoding.Int16));

    private sealed class Encoder(AudioFormat input, int frameSamples) : IAudioEncoder
    {
        public AudioFormat InputFormat => input;

        public int FrameSamples => frameSamples;

        public int DelaySamples => 0;

        public int MaxPacketBytes => frameSamples * input.Channels;

        public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

        public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
        {
            int samples = pcm.Length / 2;
            for (int i = 0; i < samples; i++)
            {
                int value = (short)(pcm[2 * i] | (pcm[(2 * i) + 1] << 8));
                packet[i] = (byte)(sbyte)Math.Clamp((value + 128) >> 8, sbyte.MinValue, sbyte.MaxValue);
            }

            return samples;
        }

        public void Dispose()
        {
        }
    }

    private sealed class Decoder(AudioFormat output) : IAudioDecoder
    {
        public AudioFormat OutputFormat => output;

        public int DelaySamples => 0;

        public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
        {
            if (packet.Length % output.Channels != 0 || packet.Length * 2 > pcm.Length)
            {
                return IAudioDecoder.Corrupt;
            }

            for (int i = 0; i < packet.Length; i++)
            {
                short value = (short)((sbyte)packet[i] << 8);
                pcm[2 * i] = (byte)value;
                pcm[(2 * i) + 1] = (byte)(value >> 8);
            }

            return packet.Length * 2;
        }

        public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
        {
            int length = samples * output.BlockAlign;
            pcm[..length].Clear();
            return length;
        }

        public void Dispose()
        {
        }
    }
}
