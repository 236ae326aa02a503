using Microsoft.Extensions.Logging;

namespace Streamer.Probe;

internal static partial class ProbeLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Probing {Target}: attempt {Attempt} of {Attempts}")]
    public static partial void Attempting(ILogger logger, string target, int attempt, int attempts);

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "Probe of {Target} attempt {Attempt} failed: {Reason} ({Detail})")]
    public static partial void AttemptFailed(ILogger logger, string target, int attempt, string reason, string detail);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "{Target} is up at {Address} after {ConnectMs:0.###} ms")]
    public static partial void Connected(ILogger logger, string target, string address, double connectMs);

    [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "{Target} does not speak the Streamer protocol: {Why}")]
    public static partial void NotStreamer(ILogger logger, string target, string why);
}
