using Microsoft.Extensions.Logging;

namespace Streamer.Bench.Proxy;

internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Connection {Id} from {Client} to {Upstream}")]
    public static partial void Opened(ILogger logger, int id, string client, string upstream);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Connection {Id}: cannot reach {Upstream}: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, int id, string upstream, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Connection {Id} closed: {Up} bytes up, {Down} bytes down; delay applied up p50 {UpP50:0.###} ms, p99 {UpP99:0.###} ms, down p50 {DownP50:0.###} ms, p99 {DownP99:0.###} ms")]
    public static partial void Closed(ILogger logger, int id, long up, long down, double upP50, double upP99, double downP50, double downP99);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Connection {Id} reset at {Seconds:0.###} s (cut-at)")]
    public static partial void Cut(ILogger logger, int id, double seconds);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Connection {Id} ended by a peer: {Reason}")]
    public static partial void Broken(ILogger logger, int id, string reason);
}
