using Microsoft.Extensions.Logging;

namespace Streamer.Streaming.Icecast;

/// <summary>Icecast publishing log events: ids 290–299 of the streaming range, stable (scripts and tests match them).</summary>
internal static partial class IcecastLog
{
    [LoggerMessage(EventId = 290, Level = LogLevel.Information, Message = "Icecast: publishing to {Target} ({Method}, Ogg Opus {Channels} ch)")]
    public static partial void Publishing(ILogger logger, string target, string method, int channels);

    [LoggerMessage(EventId = 291, Level = LogLevel.Warning, Message = "Icecast {Target}: {Reason}; reconnecting in {Seconds} s")]
    public static partial void Retrying(ILogger logger, string target, string reason, double seconds);

    [LoggerMessage(EventId = 292, Level = LogLevel.Information, Message = "Icecast {Target}: PUT refused ({Refusal}): an older server, using SOURCE")]
    public static partial void UsingSource(ILogger logger, string target, string refusal);
}
