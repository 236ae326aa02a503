namespace Streamer.Media.Outputs;

/// <summary>Discards audio as fast as it arrives: for transfers and benchmarks.</summary>
internal sealed class NullOutput : UnclockedOutput
{
    public override string Description => "null";

    protected override void Open(AudioFormat format)
    {
    }

    protected override void Write(ReadOnlySpan<byte> pcm)
    {
    }
}
