using Microsoft.Extensions.Logging;

namespace Streamer.Web;

/// <summary>The web side's log lines (event ids 1320–1339).</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "Web page and Ogg stream on {Scheme}://{EndPoint}/ (stream: /stream.opus, status: /status.json; {Access})")]
    public static partial void Listening(ILogger logger, string scheme, string endPoint, string access);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Information, Message = "HTTP listener {Remote} joined /stream.opus ({UserAgent})")]
    public static partial void ListenerJoined(ILogger logger, string remote, string userAgent);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Information, Message = "HTTP listener {Remote} left after {Pages} pages, {Bytes} bytes ({Skipped} packets skipped to keep up)")]
    public static partial void ListenerLeft(ILogger logger, string remote, long pages, long bytes, long skipped);

    [LoggerMessage(EventId = 1323, Level = LogLevel.Warning, Message = "HTTP listener {Remote} refused: the stream is not available ({Reason})")]
    public static partial void StreamUnavailable(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1324, Level = LogLevel.Debug, Message = "HTTP request from {Remote} for {Path} refused ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, string remote, string path, int status, string reason);
}
