using Streamer.Audio.Playback;

namespace Streamer.Audio.Outputs;

/// <summary>
/// Where received audio goes. An output pulls from an <see cref="IPlayoutSource"/> at its own pace: a device by
/// its clock, a file as fast as data comes. A SoundFlow or other backend is one more class implementing this.
/// </summary>
internal interface IAudioOutput : IAsyncDisposable
{
    /// <summary>For messages: "out.wav", "default device", "null".</summary>
    string Description { get; }

    /// <summary>Plays until the source is completed or <paramref name="cancellationToken"/> fires; output is finalized either way by DisposeAsync.</summary>
    Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken);
}
