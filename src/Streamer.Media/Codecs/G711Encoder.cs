using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs;

internal sealed class G711Encoder : IAudioEncoder
{
    private readonly bool _alaw;

    public G711Encoder(bool alaw, AudioFormat format, int frameSamples)
    {
        _alaw = alaw;
        InputFormat = format;
        FrameSamples = frameSamples;
    }

    public AudioFormat InputFormat { get; }

    public int FrameSamples { get; }

    public int DelaySamples => 0;

    public int MaxPacketBytes => FrameSamples * InputFormat.Channels;

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
    {
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        for (int i = 0; i < samples.Length; i++)
        {
            packet[i] = _alaw ? G711.EncodeAlaw(samples[i]) : G711.EncodeUlaw(samples[i]);
        }

        return samples.Length;
    }

    public void Dispose()
    {
    }
}
