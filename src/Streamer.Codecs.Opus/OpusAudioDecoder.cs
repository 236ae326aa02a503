using System.Runtime.InteropServices;
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

    private readonly IOpusFrameDecoder _decoder;
    private readonly bool _fec;
    private readonly int _channels;

    public OpusAudioDecoder(bool native, int channels, int delaySamples, bool fec)
    {
        _decoder = OpusLibrary.CreateDecoder(native, channels);
        _channels = channels;
        _fec = fec;
        DelaySamples = delaySamples;
        OutputFormat = new AudioFormat(OpusSettings.SampleRate, channels, SampleEncoding.Int16);
    }

    public AudioFormat OutputFormat { get; }

    public int DelaySamples { get; }

    public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
    {
        var samples = MemoryMarshal.Cast<byte, short>(pcm);
        int frameSize = Math.Min(MaxFrameSamples, samples.Length / _channels);
        // Empty would mean "conceal" to Opus, but an empty packet on the wire is as corrupt as any other bad one.
        int decoded = packet.IsEmpty ? LibOpus.InvalidPacket : _decoder.Decode(packet, samples, frameSize, false);
        return decoded >= 0 ? decoded * _channels * sizeof(short) : IAudioDecoder.Corrupt;
    }

    public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
    {
        var output = MemoryMarshal.Cast<byte, short>(pcm);
        samples = Math.Min(samples, output.Length / _channels);
        int decoded = _fec && !nextPacket.IsEmpty ? _decoder.Decode(nextPacket, output, samples, true) : -1;
        if (decoded < 0)
        {
            // No FEC, or the next packet is itself corrupt: Opus' PLC.
            decoded = Math.Max(0, _decoder.Decode(ReadOnlySpan<byte>.Empty, output, samples, false));
        }

        // Opus PLC may stop short of a long gap: the output must still cover exactly the lost duration.
        output[(Math.Min(decoded, samples) * _channels)..(samples * _channels)].Clear();
        return samples * _channels * sizeof(short);
    }

    public void Dispose() => _decoder.Dispose();
}
