namespace Streamer.Media.Playout;

/// <summary>When a frame's first byte entered the buffer, and when its sender sent it.</summary>
/// <param name="StartPosition">Running byte position of the frame's first sample in the jitter buffer.</param>
/// <param name="SendTimeUs">The sender's clock at send, µs since the Unix epoch.</param>
/// <param name="ArrivalTimeUs">Our clock at arrival.</param>
internal readonly record struct FrameTiming(long StartPosition, long SendTimeUs, long ArrivalTimeUs);
