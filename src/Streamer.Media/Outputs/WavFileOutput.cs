using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Outputs;

/// <summary>Writes the stream to a WAV file in its own layout; the header is finalized on dispose whatever happened.</summary>
internal sealed class WavFileOutput : UnclockedOutput
{
    private readonly string _path;
    private WavWriter? _writer;

    public WavFileOutput(string path)
    {
        _path = path;
    }

    public override string Description => _path;

    public override ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        return base.DisposeAsync();
    }

    protected override void Open(AudioFormat format) => _writer = new WavWriter(_path, format);

    protected override void Write(ReadOnlySpan<byte> pcm) => _writer!.Write(pcm);
}
