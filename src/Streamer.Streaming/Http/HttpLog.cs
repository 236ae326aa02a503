using Microsoft.Extensions.Logging;

namespace Streamer.Streaming.Http;

/// <summary>The Ogg live stream's log lines (event ids 1300–1309).</summary>
internal static partial class HttpLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Ogg stream: transcoding the {Codec} broadcast ({Format}) with one {Opus} encoder for every HTTP listener")]
    public static partial void Transcoding(ILogger logger, string codec, string format, string opus);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "Ogg stream: the transcoder failed: {Reason}")]
    public static partial void TranscodeFailed(ILogger logger, string reason);
}
