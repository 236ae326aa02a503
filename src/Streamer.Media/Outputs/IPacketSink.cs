namespace Streamer.Media.Outputs;

/// <summary>
/// A stage of the receiver's sink chain that takes encoded packets: the decoder stage (packets to PCM, then a PCM
/// sink), or a sink that wants the packets themselves (an Ogg Opus recording, which therefore never decodes). The
/// client calls it on its receive thread, one packet at a time, in sequence order; a stage owns the stages after it
/// and disposes them with itself.
/// </summary>
public interface IPacketSink : IAsyncDisposable
{
    /// <summary>
    /// Takes one packet. Completes synchronously unless the sink must wait (a full jitter buffer): the receive loop
    /// reads no further meanwhile, which is the back-pressure that slows the sender.
    /// </summary>
    ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken);

    /// <summary>
    /// The stream ended as the sender announced; <paramref name="lostAtEnd"/> packets were missing after the last one
    /// received (the decoder conceals them so the output keeps its length). Completes once what the sink holds is
    /// delivered (a clocked output has played it). Not called when the stream fails or is cancelled.
    /// </summary>
    ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken);

    // DisposeAsync (from IAsyncDisposable) finalizes the sink and the stages after it on every exit path, after
    // CompleteAsync or instead of it: a file gets its header or end page, a device is closed.
}
