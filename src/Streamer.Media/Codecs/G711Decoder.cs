using System.Runtime.InteropServices;

namespace Streamer.Media.Codecs;

/// <summary>
/// Expands G.711 codes to 16-bit PCM. A lost frame repeats the last good one, fading out over
/// <see cref="FadeFrames"/> consecutive losses and silent after that, so a burst does not buzz.
/// </summary>
internal sealed class G711Decoder : IAudioDecoder
{
    public const int FadeFrames = 3;

    private readonly bool _alaw;
    private readonly short[] _last;
    private int _lastSamples;
    private int _consecutiveLosses;

    public G711Decoder(bool alaw, AudioFormat format)
    {
        _alaw = alaw;
        OutputFormat = format;
        _last = new short[format.SampleRate * format.Channels];
    }

    public AudioFormat OutputFormat { get; }

    public int DelaySamples => 0;

    public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
    {
        // Whole sample frames only, and never more than the output holds (an oversize packet is cut, not a crash).
        int count = Math.Min(packet.Length, pcm.Length / sizeof(short));
        count -= count % OutputFormat.Channels;
        var output = MemoryMarshal.Cast<byte, short>(pcm);
        for (int i = 0; i < count; i++)
        {
            output[i] = _alaw ? G711.DecodeAlaw(packet[i]) : G711.DecodeUlaw(packet[i]);
        }

        _lastSamples = Math.Min(count, _last.Length);
        output[.._lastSamples].CopyTo(_last);
        _consecutiveLosses = 0;
        return count * sizeof(short);
    }

    public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
    {
        int channels = OutputFormat.Channels;
        int count = samples * channels;
        var output = MemoryMarshal.Cast<byte, short>(pcm)[..count];
        _consecutiveLosses++;
        if (_lastSamples == 0 || _consecutiveLosses > FadeFrames)
        {
            output.Clear();
            return count * sizeof(short);
        }

        float from = 1f - ((_consecutiveLosses - 1) / (float)FadeFrames);
        float to = 1f - (_consecutiveLosses / (float)FadeFrames);
        for (int frame = 0; frame < samples; frame++)
        {
            float gain = from + ((to - from) * frame / samples);
            int source = (frame * channels) % _lastSamples;
            for (int c = 0; c < channels; c++)
            {
                output[(frame * channels) + c] = (short)(_last[source + c] * gain);
            }
        }

        return count * sizeof(short);
    }

    public void Dispose()
    {
    }
}
