using Microsoft.Extensions.Logging;

namespace Streamer.Media.Codecs;

/// <summary>Codec log events: ids 300-399.</summary>
public static partial class CodecLog
{
    /// <summary>Event 300 (information): a source is converted (rate, sample format) to what the codec's encoder takes.</summary>
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{Source}: {SourceFormat} is converted to {EncoderFormat} for {Codec}")]
    public static partial void Converting(ILogger logger, string source, AudioFormat sourceFormat, AudioFormat encoderFormat, string codec);

    /// <summary>Event 301 (information): the encoder's effective settings, as "key=value, …".</summary>
    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "{Codec} encoder: {Parameters}")]
    public static partial void EncoderSettings(ILogger logger, string codec, string parameters);

    /// <summary>Event 302 (warning): the codec bench skipped a codec, and why.</summary>
    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "bench: {Codec} skipped: {Reason}")]
    public static partial void BenchSkipped(ILogger logger, string codec, string reason);
}
