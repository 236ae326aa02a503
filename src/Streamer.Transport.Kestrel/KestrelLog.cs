using System.Net;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Kestrel;

internal static partial class KestrelLog
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Sending the last bytes to {Remote} timed out; closing")]
    public static partial void DrainTimedOut(ILogger logger, EndPoint? remote);
}
