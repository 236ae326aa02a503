namespace Streamer.Media.Playout;

/// <summary>
/// Pull-model audio (NAudio's shape): the consumer asks for the next block and the provider fills what it can.
/// Implementations used from an audio callback must not block, allocate or take a contended lock.
/// </summary>
public interface IAudioProvider
{
    /// <summary>The format of what <see cref="Read"/> fills.</summary>
    AudioFormat Format { get; }

    /// <summary>Fills up to <paramref name="buffer"/>.Length bytes (whole sample frames); returns how many it filled.</summary>
    int Read(Span<byte> buffer);
}
