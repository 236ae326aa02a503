using System.Net;
using Microsoft.Extensions.Logging;

namespace Streamer.Streaming;

/// <summary>Streaming log events: ids 200–299, stable (scripts and tests match them).</summary>
public static partial class StreamingLog
{
    /// <summary>Event 200 (information): the server is listening.</summary>
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint? endPoint);

    /// <summary>Event 201 (information): a client passed its hello.</summary>
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Client {Remote} connected ({Role}, {Agent})")]
    public static partial void ClientConnected(ILogger logger, EndPoint? remote, string role, string agent);

    /// <summary>Event 202 (information): a client received the whole stream.</summary>
    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Client {Remote} finished: {Frames} frames, {Bytes} bytes, {Dropped} dropped")]
    public static partial void ClientFinished(ILogger logger, EndPoint? remote, long frames, long bytes, long dropped);

    /// <summary>Event 203 (warning): a client is dropped (too slow, misbehaving).</summary>
    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Dropping client {Remote}: {Reason}")]
    public static partial void ClientDropped(ILogger logger, EndPoint? remote, string reason);

    /// <summary>Event 204 (information): a client left before the end.</summary>
    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Client {Remote} disconnected after {Frames} frames")]
    public static partial void ClientLeft(ILogger logger, EndPoint? remote, long frames);

    /// <summary>Event 205 (warning): a client is refused because every slot is taken.</summary>
    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Refusing client {Remote}: server full ({Max} clients)")]
    public static partial void ServerFull(ILogger logger, EndPoint? remote, int max);

    /// <summary>Event 206 (debug): frames were skipped for a client that fell behind.</summary>
    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Client {Remote} is {LagMs} ms behind; dropped {Count} frames to catch up")]
    public static partial void DroppedToCatchUp(ILogger logger, EndPoint? remote, double lagMs, int count);

    // One line, no stack trace: under a flood (out of descriptors) this is logged once per refused session.
    /// <summary>Event 207 (error): a session failed; one line.</summary>
    [LoggerMessage(EventId = 207, Level = LogLevel.Error, Message = "Session for {Remote} failed: {Reason}")]
    public static partial void SessionFailed(ILogger logger, EndPoint? remote, string reason);

    /// <summary>Event 212 (debug): the failed session's exception.</summary>
    [LoggerMessage(EventId = 212, Level = LogLevel.Debug, Message = "Session for {Remote} failed (details)")]
    public static partial void SessionFailedDetail(ILogger logger, Exception exception, EndPoint? remote);

    /// <summary>Event 208 (warning): something odd about a source that is served anyway (a WAV header problem).</summary>
    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "{Source}: {Warning}")]
    public static partial void SourceWarning(ILogger logger, string source, string warning);

    /// <summary>Event 209 (debug): a client hung up or broke the protocol.</summary>
    [LoggerMessage(EventId = 209, Level = LogLevel.Debug, Message = "Client {Remote}: {Reason}")]
    public static partial void ClientHungUp(ILogger logger, EndPoint? remote, string reason);

    /// <summary>Event 210 (warning): a fixed jitter target shorter than the stream's packets.</summary>
    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "The fixed jitter target of {TargetMs} ms is shorter than the stream's {FrameMs} ms packets: the buffer empties between packets and is likely to underrun. Use a target of at least {FrameMs} ms, or serve smaller frames (--frame-ms)")]
    public static partial void TargetBelowPacket(ILogger logger, double targetMs, double frameMs);

    // One line, as SessionFailed: a stack trace per session under a flood would flood the log (and loading the
    // symbols to print it costs descriptors the host keeps in reserve).
    /// <summary>Event 211 (error): the receive loop of a session failed; one line.</summary>
    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Receiving from {Remote} failed; ending its session: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, EndPoint? remote, string reason);

    /// <summary>Event 213 (debug): the failed receive loop's exception.</summary>
    [LoggerMessage(EventId = 213, Level = LogLevel.Debug, Message = "Receiving from {Remote} failed (details)")]
    public static partial void ReceiveFailedDetail(ILogger logger, Exception exception, EndPoint? remote);
}
