namespace Streamer.Media.Outputs;

/// <summary>Raw interleaved PCM to a stream (standard output for <c>--output -</c>), for piping into aplay, sox or ffplay.</summary>
public sealed class RawPcmOutput : UnclockedOutput
{
    private readonly Stream _stream;

    /// <summary>Writes the stream's PCM, headerless, to <paramref name="stream"/> (standard output for <c>--output -</c>).</summary>
    public RawPcmOutput(Stream stream)
    {
        _stream = stream;
    }

    /// <inheritdoc/>
    public override string Description => "standard output (raw PCM)";

    /// <summary>Flushes the stream (it is not closed: it belongs to the caller).</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.FlushAsync();
        }
        catch (IOException)
        {
            // The reading end of the pipe went away; nothing more to deliver.
        }

        await base.DisposeAsync();
    }

    /// <inheritdoc/>
    protected override void Open(AudioFormat format)
    {
    }

    /// <inheritdoc/>
    protected override void Write(ReadOnlySpan<byte> pcm) => _stream.Write(pcm);
}
