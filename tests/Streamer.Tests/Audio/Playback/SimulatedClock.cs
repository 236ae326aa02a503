using Streamer.Audio.Playback;

namespace Streamer.Tests.Audio.Playback;

internal sealed class SimulatedClock : IPlaybackClock
{
    public long Now { get; set; }

    public long NowMicroseconds() => Now;
}
