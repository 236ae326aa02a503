using Microsoft.Extensions.Logging;

namespace Streamer.Streaming.Receive.Http;

/// <summary>HTTP stream and Icecast log events: ids 285–299 of the streaming range, stable (scripts and tests match them).</summary>
internal static partial class HttpStreamLog
{
    [LoggerMessage(EventId = 285, Level = LogLevel.Information, Message = "HTTP stream {Url}: Ogg Opus, {Channels} ch (encoded from {InputRate} Hz), {Server}")]
    public static partial void Playing(ILogger logger, string url, int channels, int inputRate, string server);

    [LoggerMessage(EventId = 286, Level = LogLevel.Warning, Message = "HTTP stream {Url}: {Bytes} bytes that are not Ogg pages were skipped")]
    public static partial void Skipped(ILogger logger, string url, long bytes);
}
