using Streamer.Media.Playout;

namespace Streamer.Media.Outputs;

/// <summary>
/// An output with its own clock (a sound card): it pulls each block from the jitter buffer with
/// <see cref="IPlayoutSource.ReadClocked(Span{byte}, long)"/> when its clock says so (saying when the block will be heard). A SoundFlow or other backend is one more class
/// implementing this.
/// </summary>
public interface IClockedOutput : IAudioOutput
{
    /// <summary>Plays until the source is completed or <paramref name="cancellationToken"/> fires.</summary>
    Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken);
}
