using Microsoft.Extensions.Logging;

namespace Streamer.Devices.PortAudio;

internal static partial class PortAudioLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Opened audio device '{Device}' at {Rate} Hz, {Channels} ch, {Layout}; device output latency {LatencyMs:0.0} ms")]
    public static partial void Opened(ILogger logger, string device, int rate, int channels, string layout, double latencyMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Audio device '{Device}' cannot take {Format}: converting to {Rate} Hz, {Channels} ch, f32")]
    public static partial void Converting(ILogger logger, string device, string format, int rate, int channels);
}
