using Microsoft.Extensions.Logging;

namespace Streamer.Media.Codecs;

/// <summary>Codec log events: ids 300-399.</summary>
internal static partial class CodecLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{Source}: {SourceFormat} is converted to {EncoderFormat} for {Codec}")]
    public static partial void Converting(ILogger logger, string source, AudioFormat sourceFormat, AudioFormat encoderFormat, string codec);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "{Codec} encoder: {Parameters}")]
    public static partial void EncoderSettings(ILogger logger, string codec, string parameters);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "bench: {Codec} skipped: {Reason}")]
    public static partial void BenchSkipped(ILogger logger, string codec, string reason);
}
