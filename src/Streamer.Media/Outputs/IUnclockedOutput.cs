namespace Streamer.Media.Outputs;

/// <summary>
/// An output without a clock of its own (a file, standard output, nothing): the receive loop can write to it
/// directly, with no buffer or thread between them.
/// </summary>
public interface IUnclockedOutput : IAudioOutput
{
    /// <summary>Prepares for audio of <paramref name="format"/>; called once before the first write.</summary>
    void Open(AudioFormat format);

    /// <summary>Writes interleaved PCM in the opened format.</summary>
    void Write(ReadOnlySpan<byte> pcm);
}
