namespace Streamer.Transport.Kestrel;

/// <summary>
/// Bounds and modes for the connections a Kestrel listener accepts: the same knobs as the socket transport's, mapped
/// onto Kestrel's <c>SocketTransportOptions</c>. Every queue is bounded so one peer cannot grow memory without limit.
/// </summary>
public sealed class KestrelListenerOptions
{
    /// <summary>Connections the kernel queues before they are accepted. Default 512.</summary>
    public int Backlog { get; set; } = 512;

    /// <summary>
    /// Bytes received and not yet read by the application before the transport stops reading the socket (Kestrel's
    /// <c>MaxReadBufferSize</c>). Default 1 MiB + 64 KiB + 8: one largest frame with its prefix, plus slack. It must hold
    /// the largest frame the application accepts, or that frame can never be read.
    /// </summary>
    public long MaxInputBufferBytes { get; set; } = (1024 * 1024) + (64 * 1024) + 8;

    /// <summary>
    /// Bytes queued for sending before the application's flushes wait (Kestrel's <c>MaxWriteBufferSize</c>).
    /// Default 64 KiB. Larger values hide short stalls but add latency behind a slow peer.
    /// </summary>
    public int MaxOutputBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The kernel's send buffer (SO_SNDBUF) in bytes for every accepted connection, or null for the OS default with
    /// autotuning. Set on the listening socket, whose accepted sockets inherit it (Linux). A small value keeps a live
    /// stream's backlog behind a stalled peer short; leave it null for bulk transfers.
    /// </summary>
    public int? SendBufferBytes { get; set; }

    /// <summary>
    /// True: sends and receives are scheduled on Kestrel's I/O queues, so the application prepares the next frames
    /// while a queue thread sends the previous ones (bulk transfers use both cores). False (default): Kestrel's
    /// <c>UnsafePreferInlineScheduling</c>: the send runs on the thread that flushed and the application's reads
    /// run on the thread that received, which costs no thread hop per frame (live streams).
    /// </summary>
    public bool SendInParallel { get; set; }
}
