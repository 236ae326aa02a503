namespace Streamer.Media.Outputs;

/// <summary>Base of the unclocked outputs: nothing to run, audio is written as the receive loop decodes it.</summary>
internal abstract class UnclockedOutput : IUnclockedOutput
{
    public abstract string Description { get; }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    void IUnclockedOutput.Open(AudioFormat format) => Open(format);

    void IUnclockedOutput.Write(ReadOnlySpan<byte> pcm) => Write(pcm);

    protected abstract void Open(AudioFormat format);

    protected abstract void Write(ReadOnlySpan<byte> pcm);
}
