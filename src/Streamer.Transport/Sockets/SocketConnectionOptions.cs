namespace Streamer.Transport.Sockets;

/// <summary>Buffer bounds for one connection. Every queue is bounded so one peer cannot grow memory without limit.</summary>
public sealed class SocketConnectionOptions
{
    /// <summary>
    /// Largest frame body accepted from the peer. Default 1 MiB. Raising it raises the worst-case memory per
    /// connection by the same amount; lowering it below the largest audio frame breaks streams.
    /// </summary>
    public long MaxFrameLength { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes queued for sending before writers wait. Default 64 KiB (about 170 ms of 48 kHz stereo s16).
    /// Larger values hide short stalls but add latency behind a slow peer.
    /// </summary>
    public int MaxOutputBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The kernel's send buffer (SO_SNDBUF) in bytes, or null for the OS default with autotuning (up to 4 MiB on
    /// Linux). A small value keeps a live stream's backlog behind a stalled peer short, so the sender notices and
    /// sheds frames; it caps throughput on long fat links, so leave it null for bulk transfers.
    /// </summary>
    public int? SendBufferBytes { get; set; }

    /// <summary>
    /// True: the send loop runs on its own thread-pool thread, so the application prepares the next frames while
    /// the kernel copies the previous ones (bulk transfers use both cores). False (default): the send runs inline
    /// on the thread that flushed, which costs no extra thread wake-up per frame (live streams).
    /// </summary>
    public bool SendInParallel { get; set; }

    /// <summary>
    /// True: the socket stays in blocking mode. A dedicated thread blocks in <c>recv</c> and runs the application's
    /// reader inline, and sends are plain blocking <c>send</c> calls: one system call and one wake-up per received
    /// frame, without <c>epoll_wait</c>, a second <c>recv</c> that returns EAGAIN and the runtime's completion machinery
    /// (8–12 % of a live client's CPU). It takes a thread per connection, and a send blocks its caller while the kernel's send
    /// buffer is full (for at most 5 s, then the connection fails), so it suits a client holding one connection
    /// that sends little. Linux only in practice: elsewhere closing the socket may not abort a blocked connect. The socket must be connected
    /// with <see cref="TcpConnector"/>'s blocking mode: one asynchronous call would switch it to non-blocking for good
    /// (still correct, but no cheaper). Default false.
    /// </summary>
    public bool BlockingIo { get; set; }

    /// <summary>
    /// True: each receive first waits for data with a zero-byte read and only then takes a buffer (Kestrel's
    /// <c>WaitForDataBeforeAllocatingBuffer</c>), so an idle connection holds no receive buffer instead of 64 KiB; it
    /// costs one more system call per burst of received data. For servers holding many connections that mostly
    /// send (a broadcast's listeners send only pings). Asynchronous I/O only. Default false.
    /// </summary>
    public bool WaitForDataBeforeAllocatingBuffer { get; set; }

    /// <summary>
    /// Smallest block the send queue takes from the pool at a time. Default 64 KiB, so batched frames leave in one
    /// send; a server with many connections that each send small frames can use 4 KiB, so a connection whose send is
    /// in progress holds that much, not 64 KiB.
    /// </summary>
    public int OutputSegmentBytes { get; set; } = 64 * 1024;

    /// <summary>The receive queue bound: one maximal frame and its 8-byte length prefix plus slack, so a whole frame can always be buffered.</summary>
    public long MaxInputBufferBytes => MaxFrameLength + 8 + (64 * 1024);
}
