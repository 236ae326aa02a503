namespace Streamer.Media.Outputs;

/// <summary>
/// Where received audio goes. Every output is either clocked (<see cref="IClockedOutput"/>: it pulls audio at its
/// own pace, like a sound card) or unclocked (<see cref="IUnclockedOutput"/>: it takes audio as it arrives, like a
/// file). Disposal finalizes it (WAV header, device closed) on every exit path.
/// </summary>
public interface IAudioOutput : IAsyncDisposable
{
    /// <summary>For messages: "out.wav", "default device", "null".</summary>
    string Description { get; }
}
