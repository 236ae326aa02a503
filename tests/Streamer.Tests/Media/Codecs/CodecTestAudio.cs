using System.Buffers;
using System.Buffers.Binary;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Streaming.Send;

namespace Streamer.Tests.Media.Codecs;

/// <summary>Test audio and a sender/receiver pair run in memory: the same encoder path, padding, delay removal and trimming as a stream.</summary>
internal static class CodecTestAudio
{
    /// <summary>16-bit stereo two-tone samples (no WAV header).</summary>
    public static byte[] TwoTone(double seconds, int sampleRate = 48000)
    {
        byte[] wav = TestSignal.CreateWav(seconds, sampleRate);
        return wav.AsSpan(wav.Length - (int)(seconds * sampleRate) * 4).ToArray();
    }

    /// <summary>
    /// 16-bit stereo speech-like audio (a 140 Hz buzz with noise, amplitude-modulated): Opus' speech mode, the only
    /// one with in-band FEC, treats it as voice where it would not a pure tone.
    /// </summary>
    public static byte[] SpeechLike(double seconds, int sampleRate = 48000)
    {
        var random = new Random(1);
        int frames = (int)(seconds * sampleRate);
        var data = new byte[frames * 4];
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / sampleRate;
            double buzz = ((t * 140) % 1.0 * 2) - 1;
            double value = ((buzz * 0.6) + ((random.NextDouble() - 0.5) * 0.2)) * 8000 * (0.6 + (0.4 * Math.Sin(2 * Math.PI * 3 * t)));
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 4), (short)value);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan((i * 4) + 2), (short)value);
        }

        return data;
    }

    /// <summary>A WAV file image of any encoding with a sine per channel.</summary>
    public static byte[] SineWav(AudioFormat format, double seconds, double hz, double amplitude = 0.5)
    {
        int frames = (int)(seconds * format.SampleRate);
        var data = new byte[frames * format.BlockAlign];
        int size = format.Encoding.BytesPerSample();
        for (int i = 0; i < frames; i++)
        {
            double value = amplitude * Math.Sin(2 * Math.PI * hz * i / format.SampleRate);
            for (int c = 0; c < format.Channels; c++)
            {
                var s = data.AsSpan(((i * format.Channels) + c) * size, size);
                switch (format.Encoding)
                {
                    case SampleEncoding.Int16: BinaryPrimitives.WriteInt16LittleEndian(s, (short)Math.Round(value * 32767)); break;
                    case SampleEncoding.Int24:
                        int v = (int)Math.Round(value * 8388607);
                        s[0] = (byte)v;
                        s[1] = (byte)(v >> 8);
                        s[2] = (byte)(v >> 16);
                        break;
                    case SampleEncoding.Float32: BinaryPrimitives.WriteSingleLittleEndian(s, (float)value); break;
                    default: throw new NotSupportedException();
                }
            }
        }

        Span<byte> header = stackalloc byte[68];
        int length = WavWriter.WriteHeader(header, format, data.Length);
        return [.. header[..length], .. data];
    }

    public static byte[] Wav(AudioFormat format, byte[] samples)
    {
        Span<byte> header = stackalloc byte[68];
        int length = WavWriter.WriteHeader(header, format, samples.Length);
        return [.. header[..length], .. samples];
    }

    /// <summary>
    /// Encodes <paramref name="wav"/> through <see cref="EncodingPacketizer"/> and decodes like the receiver; frames whose
    /// sequence is in <paramref name="drop"/> are concealed. Returns the receiver's output and the stream info.
    /// </summary>
    public static async Task<(byte[] Output, Streamer.Protocol.StreamInfoMessage Info, int Packets)> RoundTripAsync(IAudioCodec codec, CodecOptions options, byte[] wav, ISet<int>? drop = null)
    {
        var factory = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(wav, writable: false), "test", ct), codec, options);
        await using var source = await factory.OpenAsync(CancellationToken.None);
        var info = source.Info;
        using var decoder = codec.CreateDecoder(info);
        var output = new MemoryStream();
        var pcm = new byte[decoder.OutputFormat.SampleRate * decoder.OutputFormat.BlockAlign];
        var packets = new List<byte[]>();
        while (await source.MoveNextAsync(CancellationToken.None))
        {
            packets.Add(source.Current.ToArray());
        }

        for (int i = 0; i < packets.Count; i++)
        {
            int length = drop?.Contains(i) == true
                ? decoder.Conceal(info.FrameSamples, i + 1 < packets.Count && drop?.Contains(i + 1) != true ? packets[i + 1] : [], pcm)
                : decoder.Decode(packets[i], pcm);
            output.Write(pcm, 0, length);
        }

        byte[] all = output.ToArray();
        int skip = decoder.DelaySamples * decoder.OutputFormat.BlockAlign;
        long keep = info.TotalSamples * decoder.OutputFormat.BlockAlign;
        return (all.AsSpan(skip, (int)Math.Min(keep, all.Length - skip)).ToArray(), info, packets.Count);
    }
}
