using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// One session's sending side as its <see cref="ISessionStream"/> sees it: the frame sender, what has been sent (for
/// the end-of-stream frame and the log), and when the send in progress started (for the stall watchdog).
/// </summary>
internal sealed class SessionOutput
{
    private long _sendStartedTicks;

    public SessionOutput(FrameSender sender, EndPoint? remote, ILogger logger)
    {
        Sender = sender;
        Remote = remote;
        Logger = logger;
    }

    public FrameSender Sender { get; }

    public EndPoint? Remote { get; }

    public ILogger Logger { get; }

    /// <summary>Audio frames sent (skipped ones excluded).</summary>
    public long FramesSent { get; set; }

    /// <summary>Samples per channel of the source those frames carry (see <see cref="EndOfStreamMessage.Samples"/>).</summary>
    public long SamplesSent { get; set; }

    /// <summary>Audio payload bytes sent.</summary>
    public long BytesSent { get; set; }

    /// <summary>Frames skipped because the client could not keep up.</summary>
    public long FramesDropped { get; set; }

    /// <summary>When the send in progress started (a <see cref="Stopwatch"/> timestamp), 0 when none is.</summary>
    public long SendStartedTicks => Volatile.Read(ref _sendStartedTicks);

    public void BeginSend() => Volatile.Write(ref _sendStartedTicks, Stopwatch.GetTimestamp());

    public void EndSend() => Volatile.Write(ref _sendStartedTicks, 0);

    /// <summary>Awaits a send; a closed connection throws <see cref="ClientGoneException"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendOrThrowAsync(ValueTask<bool> send)
    {
        if (!await send)
        {
            throw new ClientGoneException();
        }
    }
}
