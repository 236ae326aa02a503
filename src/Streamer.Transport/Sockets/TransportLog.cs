using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Receive from {Remote} failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, EndPoint? remote, SocketError error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Send to {Remote} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, EndPoint? remote, SocketError error);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Sending the last bytes to {Remote} timed out; closing")]
    public static partial void DrainTimedOut(ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "An accepted connection failed before it was set up: {Error}")]
    public static partial void SetupFailed(ILogger logger, SocketError error);
}
