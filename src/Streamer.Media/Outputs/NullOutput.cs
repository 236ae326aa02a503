namespace Streamer.Media.Outputs;

/// <summary>Discards audio as fast as it arrives: for transfers and benchmarks.</summary>
public sealed class NullOutput : UnclockedOutput
{
    /// <inheritdoc/>
    public override string Description => "null";

    /// <inheritdoc/>
    protected override void Open(AudioFormat format)
    {
    }

    /// <inheritdoc/>
    protected override void Write(ReadOnlySpan<byte> pcm)
    {
    }
}
