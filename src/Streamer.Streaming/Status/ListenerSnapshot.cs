using Streamer.Protocol;

namespace Streamer.Streaming.Status;

/// <summary>One protocol listener as the server sees it now: who, since when, what it was sent, and what it last reported.</summary>
/// <param name="Remote">The peer's address and port.</param>
/// <param name="Agent">The agent its hello named (a peer's words: display with care).</param>
/// <param name="ConnectedAt">When its session started.</param>
/// <param name="FramesSent">Audio frames sent to it.</param>
/// <param name="BytesSent">Audio payload bytes sent to it.</param>
/// <param name="FramesDropped">Frames it skipped because it could not keep up.</param>
/// <param name="Reported">Its last <see cref="ClientStatsMessage"/>, or null (an older player, or none yet).</param>
/// <param name="ReportedAt">When that report came, or null.</param>
public sealed record ListenerSnapshot(string Remote, string Agent, DateTimeOffset ConnectedAt, long FramesSent, long BytesSent, long FramesDropped, ClientStatsMessage? Reported, DateTimeOffset? ReportedAt);
