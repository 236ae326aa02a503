namespace Streamer.Media.Codecs;

internal sealed class PcmEncoder : IAudioEncoder
{
    public PcmEncoder(AudioFormat format, int frameSamples)
    {
        InputFormat = format;
        FrameSamples = frameSamples;
    }

    public AudioFormat InputFormat { get; }

    public int FrameSamples { get; }

    public int DelaySamples => 0;

    public int MaxPacketBytes => FrameSamples * InputFormat.BlockAlign;

    public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

    public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
    {
        pcm.CopyTo(packet);
        return pcm.Length;
    }

    public void Dispose()
    {
    }
}
