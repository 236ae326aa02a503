using Microsoft.Extensions.Logging;

namespace Streamer.Devices.PortAudio;

internal static partial class PortAudioLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Opened audio device '{Device}' at {Rate} Hz, {Channels} ch, {Layout}; device output latency {LatencyMs:0.0} ms")]
    public static partial void Opened(ILogger logger, string device, int rate, int channels, string layout, double latencyMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Audio device '{Device}' cannot take {Format}: converting to {Rate} Hz, {Channels} ch, f32")]
    public static partial void Converting(ILogger logger, string device, string format, int rate, int channels);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Opened audio input '{Device}' for {Format}; device input latency {LatencyMs:0.0} ms")]
    public static partial void CaptureOpened(ILogger logger, string device, string format, double latencyMs);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "audio input '{Device}' overflowed {Count} time(s): audio was lost while the stream fell behind")]
    public static partial void CaptureOverflows(ILogger logger, string device, long count);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "audio input '{Device}' did not stop within 2 s; leaving it to the process exit")]
    public static partial void CaptureStuck(ILogger logger, string device);
}
