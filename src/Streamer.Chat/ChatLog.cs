using System.Net;
using Microsoft.Extensions.Logging;

namespace Streamer.Chat;

internal static partial class ChatLog
{
    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Chat room listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint? endPoint);

    [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "{Name} joined from {Remote} ({Agent}); {Count} in the room")]
    public static partial void Joined(ILogger logger, string name, EndPoint? remote, string agent, int count);

    [LoggerMessage(EventId = 522, Level = LogLevel.Information, Message = "{Name} left; {Count} in the room")]
    public static partial void Left(ILogger logger, string name, int count);

    [LoggerMessage(EventId = 523, Level = LogLevel.Warning, Message = "Dropping {Name} ({Remote}): {Reason}")]
    public static partial void Dropped(ILogger logger, string name, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 524, Level = LogLevel.Warning, Message = "Refusing {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 525, Level = LogLevel.Debug, Message = "Probe from {Remote} ({Agent})")]
    public static partial void Probed(ILogger logger, EndPoint? remote, string agent);

    [LoggerMessage(EventId = 526, Level = LogLevel.Debug, Message = "{Name} sent a {Bytes}-byte message")]
    public static partial void Relayed(ILogger logger, string name, int bytes);

    [LoggerMessage(EventId = 527, Level = LogLevel.Information, Message = "Refused a {Bytes}-byte message from {Name} (limit {Limit})")]
    public static partial void MessageTooLong(ILogger logger, string name, int bytes, int limit);

    [LoggerMessage(EventId = 540, Level = LogLevel.Debug, Message = "Connected to chat room {Server} ({Agent})")]
    public static partial void ClientConnected(ILogger logger, string server, string agent);
}
