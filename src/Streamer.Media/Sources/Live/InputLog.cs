using Microsoft.Extensions.Logging;

namespace Streamer.Media.Sources.Live;

/// <summary>Live input log events: ids 740-759.</summary>
internal static partial class InputLog
{
    [LoggerMessage(EventId = 740, Level = LogLevel.Warning, Message = "{Input}: the data ended with a partial sample frame ({Bytes} of {BlockAlign} bytes); it was dropped")]
    public static partial void PartialFrame(ILogger logger, string input, int bytes, int blockAlign);

    [LoggerMessage(EventId = 741, Level = LogLevel.Information, Message = "{Input}: waiting for a writer")]
    public static partial void WaitingForWriter(ILogger logger, string input);

    [LoggerMessage(EventId = 742, Level = LogLevel.Information, Message = "{Input}: a writer connected")]
    public static partial void WriterConnected(ILogger logger, string input);

    [LoggerMessage(EventId = 743, Level = LogLevel.Information, Message = "{Input}: the writer went away; sending {Gap} until one returns")]
    public static partial void WriterGone(ILogger logger, string input, string gap);

    [LoggerMessage(EventId = 744, Level = LogLevel.Warning, Message = "{Input}: a writer's stream was refused: {Problem}")]
    public static partial void WriterRefused(ILogger logger, string input, string problem);

    [LoggerMessage(EventId = 745, Level = LogLevel.Information, Message = "{Input}: {Format}, live (ends at end of input)")]
    public static partial void Opened(ILogger logger, string input, AudioFormat format);
}
