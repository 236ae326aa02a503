using Microsoft.Extensions.Logging;

namespace Streamer.Web;

/// <summary>The web side's log lines (event ids 1320–1339).</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "Web page and Ogg stream on http://{EndPoint}/ (stream: /stream.opus, status: /status.json)")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Information, Message = "HTTP listener {Remote} joined /stream.opus ({UserAgent})")]
    public static partial void ListenerJoined(ILogger logger, string remote, string userAgent);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Information, Message = "HTTP listener {Remote} left after {Pages} pages, {Bytes} bytes ({Skipped} packets skipped to keep up)")]
    public static partial void ListenerLeft(ILogger logger, string remote, long pages, long bytes, long skipped);

    [LoggerMessage(EventId = 1323, Level = LogLevel.Warning, Message = "HTTP listener {Remote} refused: the stream is not available ({Reason})")]
    public static partial void StreamUnavailable(ILogger logger, string remote, string reason);
}
