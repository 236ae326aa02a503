using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Protocol.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Refusing {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Closing {Remote}, still in its hello: {Reason}")]
    public static partial void Evicted(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "{Count} connections closed in the last {Seconds} s before finishing their hello ({Reason}); sessions are unaffected")]
    public static partial void EvictedSummary(ILogger logger, int count, int seconds, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Cannot accept connections: {Error}; pausing new clients, {Sessions} sessions go on")]
    public static partial void AcceptExhausted(ILogger logger, string error, int sessions);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error, Message = "Cannot accept connections: {Open} of {Limit} descriptors are open and {Reserve} are kept in reserve; refusing new clients, {Sessions} sessions go on")]
    public static partial void DescriptorsLow(ILogger logger, int open, long limit, int reserve, int sessions);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Accepting connections again ({Failures} accepts failed or refused)")]
    public static partial void AcceptRecovered(ILogger logger, int failures);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error, Message = "Connection {Remote} failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 606, Level = LogLevel.Debug, Message = "Accept failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, SocketError error);
}
