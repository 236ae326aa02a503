using Microsoft.Extensions.Logging;

namespace Streamer.Streaming.Send;

/// <summary>The broadcast's log lines, the server's and the player's (event ids 240–249).</summary>
internal static partial class BroadcastLog
{
    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "Broadcast input ended after {Frames} frames; every listener gets end of stream")]
    public static partial void InputEnded(ILogger logger, long frames);

    [LoggerMessage(EventId = 241, Level = LogLevel.Error, Message = "Broadcast input failed: {Reason}")]
    public static partial void InputFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 242, Level = LogLevel.Warning, Message = "Broadcast input stalled: no audio for {Seconds} s; listeners are told and kept")]
    public static partial void InputStalled(ILogger logger, double seconds);

    [LoggerMessage(EventId = 243, Level = LogLevel.Information, Message = "Broadcast input live again after {Seconds:0.0} s")]
    public static partial void InputResumed(ILogger logger, double seconds);

    [LoggerMessage(EventId = 244, Level = LogLevel.Warning, Message = "The server's input stalled; the connection stays open and the stream goes on when it resumes")]
    public static partial void ServerInputStalled(ILogger logger);

    [LoggerMessage(EventId = 245, Level = LogLevel.Information, Message = "The server's input is live again")]
    public static partial void ServerInputLive(ILogger logger);

    /// <summary>The player's side: one line when the server's input changes state; returns whether it is stalled now.</summary>
    public static bool ServerStatus(ILogger logger, Protocol.StatusMessage status, bool wasStalled)
    {
        bool stalled = status.IsStalled;
        if (stalled && !wasStalled)
        {
            ServerInputStalled(logger);
        }
        else if (!stalled && wasStalled)
        {
            ServerInputLive(logger);
        }

        return stalled;
    }
}
