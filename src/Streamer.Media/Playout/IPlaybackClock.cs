using Streamer.Protocol;

namespace Streamer.Media.Playout;

/// <summary>The receiver's clock in µs; tests drive the jitter buffer with a simulated one.</summary>
internal interface IPlaybackClock
{
    long NowMicroseconds();
}

/// <summary>The real clock: <see cref="WallClock"/>, the one the sender stamps frames with.</summary>
internal sealed class SystemPlaybackClock : IPlaybackClock
{
    public static SystemPlaybackClock Instance { get; } = new();

    public long NowMicroseconds() => WallClock.NowMicroseconds();
}

/// <summary>A clock the caller supplies as a function (a simulated one for replay).</summary>
internal sealed class FuncPlaybackClock(Func<long> now) : IPlaybackClock
{
    public long NowMicroseconds() => now();
}
