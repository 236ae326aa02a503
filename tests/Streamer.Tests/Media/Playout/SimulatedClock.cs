using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

internal sealed class SimulatedClock : IPlaybackClock
{
    public long Now { get; set; }

    public long NowMicroseconds() => Now;
}
