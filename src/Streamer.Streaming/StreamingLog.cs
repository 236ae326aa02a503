using System.Net;
using Microsoft.Extensions.Logging;

namespace Streamer.Streaming;

internal static partial class StreamingLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint? endPoint);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Client {Remote} connected ({Role}, {Agent})")]
    public static partial void ClientConnected(ILogger logger, EndPoint? remote, string role, string agent);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Client {Remote} finished: {Frames} frames, {Bytes} bytes, {Dropped} dropped")]
    public static partial void ClientFinished(ILogger logger, EndPoint? remote, long frames, long bytes, long dropped);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Dropping client {Remote}: {Reason}")]
    public static partial void ClientDropped(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Client {Remote} disconnected after {Frames} frames")]
    public static partial void ClientLeft(ILogger logger, EndPoint? remote, long frames);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Refusing client {Remote}: server full ({Max} clients)")]
    public static partial void ServerFull(ILogger logger, EndPoint? remote, int max);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Client {Remote} is {LagMs} ms behind; dropped {Count} frames to catch up")]
    public static partial void DroppedToCatchUp(ILogger logger, EndPoint? remote, double lagMs, int count);

    // One line, no stack trace: under a flood (out of descriptors) this is logged once per refused session.
    [LoggerMessage(EventId = 207, Level = LogLevel.Error, Message = "Session for {Remote} failed: {Reason}")]
    public static partial void SessionFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 212, Level = LogLevel.Debug, Message = "Session for {Remote} failed (details)")]
    public static partial void SessionFailedDetail(ILogger logger, Exception exception, EndPoint? remote);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "{Source}: {Warning}")]
    public static partial void SourceWarning(ILogger logger, string source, string warning);

    [LoggerMessage(EventId = 209, Level = LogLevel.Debug, Message = "Client {Remote}: {Reason}")]
    public static partial void ClientHungUp(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "The fixed jitter target of {TargetMs} ms is shorter than the stream's {FrameMs} ms packets: the buffer empties between packets and is likely to underrun. Use a target of at least {FrameMs} ms, or serve smaller frames (--frame-ms)")]
    public static partial void TargetBelowPacket(ILogger logger, double targetMs, double frameMs);

    // One line, as SessionFailed: a stack trace per session under a flood would flood the log (and loading the
    // symbols to print it costs descriptors the host keeps in reserve).
    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Receiving from {Remote} failed; ending its session: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 213, Level = LogLevel.Debug, Message = "Receiving from {Remote} failed (details)")]
    public static partial void ReceiveFailedDetail(ILogger logger, Exception exception, EndPoint? remote);
}
