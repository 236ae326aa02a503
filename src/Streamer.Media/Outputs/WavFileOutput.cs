using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Outputs;

/// <summary>Writes the stream to a WAV file in its own layout; the header is finalized on dispose whatever happened.</summary>
public sealed class WavFileOutput : UnclockedOutput
{
    private readonly string _path;
    private WavWriter? _writer;

    /// <summary>Writes a WAV file at <paramref name="path"/> (replacing one that is there), created when the stream's format is known.</summary>
    public WavFileOutput(string path)
    {
        _path = path;
    }

    /// <inheritdoc/>
    public override string Description => _path;

    /// <summary>Finalizes the file: the header gets the data length.</summary>
    public override ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        return base.DisposeAsync();
    }

    /// <inheritdoc/>
    protected override void Open(AudioFormat format) => _writer = new WavWriter(_path, format);

    /// <inheritdoc/>
    protected override void Write(ReadOnlySpan<byte> pcm) => _writer!.Write(pcm);
}
