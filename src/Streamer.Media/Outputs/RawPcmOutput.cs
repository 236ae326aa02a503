namespace Streamer.Media.Outputs;

/// <summary>Raw interleaved PCM to a stream (standard output for <c>--output -</c>), for piping into aplay, sox or ffplay.</summary>
internal sealed class RawPcmOutput : UnclockedOutput
{
    private readonly Stream _stream;

    public RawPcmOutput(Stream stream)
    {
        _stream = stream;
    }

    public override string Description => "standard output (raw PCM)";

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

    protected override void Open(AudioFormat format)
    {
    }

    protected override void Write(ReadOnlySpan<byte> pcm) => _stream.Write(pcm);
}
