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

    /// <summary>The connection under <see cref="Sender"/>, only for the fan-out to prefetch (<see cref="CachePrefetch"/>).</summary>
    public object? Transport { get; init; }

    /// <summary>Where the counts below are kept: here, or in the sender that makes them (<see cref="KeepCountsIn"/>).</summary>
    public SendCounts Counts { get; private set; } = new();

    /// <summary>Audio frames sent (skipped ones excluded).</summary>
    public long FramesSent { get => Counts.FramesSent; set => Counts.FramesSent = value; }

    /// <summary>Samples per channel of the source those frames carry (see <see cref="EndOfStreamMessage.Samples"/>).</summary>
    public long SamplesSent { get => Counts.SamplesSent; set => Counts.SamplesSent = value; }

    /// <summary>Audio payload bytes sent.</summary>
    public long BytesSent { get => Counts.BytesSent; set => Counts.BytesSent = value; }

    /// <summary>Frames skipped because the client could not keep up.</summary>
    public long FramesDropped { get => Counts.FramesDropped; set => Counts.FramesDropped = value; }

    /// <summary>
    /// Keeps the counts in <paramref name="counts"/> from now on (those so far carried over): a broadcast listener
    /// counts in its own object, which its fan-out send touches anyway, rather than in this one (at a thousand
    /// listeners each object a send touches is a cache miss: docs/performance.md, "The fan-out").
    /// </summary>
    public void KeepCountsIn(SendCounts counts)
    {
        counts.FramesSent += Counts.FramesSent;
        counts.SamplesSent += Counts.SamplesSent;
        counts.BytesSent += Counts.BytesSent;
        counts.FramesDropped += Counts.FramesDropped;
        Counts = counts;
    }

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

/// <summary>What a session has sent (read live by the status page and the log; written by its one sender at a time).</summary>
internal class SendCounts
{
    public long FramesSent;
    public long SamplesSent;
    public long BytesSent;
    public long FramesDropped;
}
