using System.Runtime.InteropServices;
using Concentus;
using Streamer.Media;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Decodes Opus packets to 48 kHz 16-bit PCM. A lost frame is rebuilt from the next packet's in-band FEC when the
/// sender enabled it and that packet is known, else by Opus' own PLC; the two never share one call (Concentus
/// issue #65: a mode change inside a combined call corrupts the output).
/// </summary>
internal sealed class OpusAudioDecoder : IAudioDecoder
{
    /// <summary>120 ms at 48 kHz: the longest audio one Opus packet holds.</summary>
    private const int MaxFrameSamples = 5760;

    private readonly IOpusDecoder _decoder;
    private readonly bool _fec;
    private readonly int _channels;
    private readonly int _frameSamples;

    public OpusAudioDecoder(bool native, int channels, int frameSamples, int delaySamples, bool fec)
    {
        _frameSamples = Math.Clamp(frameSamples, 120, MaxFrameSamples);
        _decoder = OpusLibrary.CreateDecoder(native, channels);
        _channels = channels;
        _fec = fec;
        DelaySamples = delaySamples;
        OutputFormat = new AudioFormat(OpusSettings.SampleRate, channels, SampleEncoding.Int16);
    }

    public AudioFormat OutputFormat { get; }

    public int DelaySamples { get; }

    /// <summary>Frames rebuilt from FEC data rather than PLC (for tests and stats).</summary>
    public long FecRecovered { get; private set; }

    /// <summary>Packets Opus could not decode, concealed instead.</summary>
    public long Corrupt { get; private set; }

    public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
    {
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        int frameSize = Math.Min(MaxFrameSamples, samples.Length / _channels);
        try
        {
            return _decoder.Decode(packet, samples, frameSize, false) * _channels * sizeof(short);
        }
        catch (OpusException)
        {
            // A corrupt packet is treated as a lost one: the stream goes on in time.
            Corrupt++;
            return Conceal(_frameSamples, ReadOnlySpan<byte>.Empty, pcm);
        }
    }

    public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
    {
        var output = MemoryMarshal.Cast<byte, short>(pcm);
        bool useFec = _fec && !nextPacket.IsEmpty;
        int decoded = _decoder.Decode(useFec ? nextPacket : ReadOnlySpan<byte>.Empty, output, samples, useFec);
        if (useFec)
        {
            FecRecovered++;
        }

        // Opus PLC may stop short of a long gap: the output must still cover exactly the lost duration.
        output[(decoded * _channels)..(samples * _channels)].Clear();
        return samples * _channels * sizeof(short);
    }

    public void Dispose() => (_decoder as IDisposable)?.Dispose();
}
