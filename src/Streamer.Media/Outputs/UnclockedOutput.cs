namespace Streamer.Media.Outputs;

/// <summary>Base of the unclocked outputs: nothing to run, audio is written as the receive loop decodes it.</summary>
public abstract class UnclockedOutput : IUnclockedOutput
{
    /// <summary>What the output is, for status lines ("null", a file path).</summary>
    public abstract string Description { get; }

    /// <summary>Finalizes the output (a WAV file's header, a flush).</summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    void IUnclockedOutput.Open(AudioFormat format) => Open(format);

    void IUnclockedOutput.Write(ReadOnlySpan<byte> pcm) => Write(pcm);

    /// <summary>Called once with the decoded stream's format before the first <see cref="Write"/>.</summary>
    protected abstract void Open(AudioFormat format);

    /// <summary>Writes whole sample frames; called on the receive thread as each frame is decoded.</summary>
    protected abstract void Write(ReadOnlySpan<byte> pcm);
}
