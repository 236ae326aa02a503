using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

/// <summary>
/// A TCP socket exposed as a connection, with separate receive and send loops (Kestrel's shape). What both I/O
/// modes share lives here (the pipes, the one send loop, disposal, error mapping); <see cref="AsyncSocketConnection"/>
/// and <see cref="BlockingSocketConnection"/> add only their receive loop and how one segment is sent.
/// Disposal is idempotent: it drains what the application wrote, then closes the socket.
/// </summary>
internal abstract class SocketConnection : IConnection, IWriteCounter
{
    /// <summary>Large reads: one syscall should carry many frames when the peer sends fast.</summary>
    protected const int ReceiveBufferHint = 64 * 1024;
    /// <summary>Most pipe segments one gather send takes (Linux allows 1024; a full 1 MiB output queue is ~17).</summary>
    private const int MaxGatherSegments = 64;
    protected static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly ReceivedInput _received;
    private readonly List<ArraySegment<byte>> _gather = new(MaxGatherSegments);
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private readonly CountingPipeWriter _writer;
    private long _written;
    private long _handedOn;
    private int _disposed;

    protected SocketConnection(Socket socket, SocketConnectionOptions options, ILogger logger)
    {
        Socket = socket;
        _logger = logger;
        Options = options;
        socket.NoDelay = true;
        if (options.SendBufferBytes is { } sendBuffer)
        {
            socket.SendBufferSize = sendBuffer;
        }

        RemoteEndPoint = PeerAddress(socket);
        LocalEndPoint = socket.LocalEndPoint;
        // Inline scheduling: the loops are the only readers/writers, and hops to the thread pool cost latency.
        _input = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.MaxInputBufferBytes,
            resumeWriterThreshold: options.MaxInputBufferBytes / 2,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            useSynchronizationContext: false));
        _received = new ReceivedInput(_input.Reader);
        _output = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.MaxOutputBufferBytes,
            resumeWriterThreshold: options.MaxOutputBufferBytes / 2,
            readerScheduler: options.SendInParallel ? PipeScheduler.ThreadPool : PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            // The send loop makes one send per segment: with the default 4 KiB segments every ~4 KiB frame cost
            // its own syscall; large segments let batched frames leave in one.
            minimumSegmentSize: options.OutputSegmentBytes,
            useSynchronizationContext: false));
        _writer = new CountingPipeWriter(_output.Writer, this);
    }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    public SocketConnectionOptions Options { get; }

    /// <summary>What the peer sent. Bytes that arrived before a reset are all read before the reset is raised.</summary>
    public PipeReader Input => _received;

    public PipeWriter Output => _writer;

    protected Socket Socket { get; }

    /// <summary>The writer the receive loop fills.</summary>
    protected PipeWriter Received => _input.Writer;

    /// <summary>
    /// True when every byte the application wrote to <see cref="Output"/> has been handed to the socket (and no send
    /// is in progress: a send is counted once it completed), so bytes sent straight to the socket now cannot overtake
    /// earlier ones. Read it on the writing side, where writes are serialized.
    /// </summary>
    protected bool SendQueueIdle => Volatile.Read(ref _handedOn) == _written;

    void IWriteCounter.Written(int bytes) => _written += bytes;

    /// <summary>Cancelled by our own abort or disposal, so the receive loop tells it apart from a peer's reset.</summary>
    protected CancellationTokenSource ReceiveCancel { get; } = new();

    /// <summary>The connection for <paramref name="socket"/> in the mode <see cref="SocketConnectionOptions.BlockingIo"/>
    /// asks for, not started yet.</summary>
    public static SocketConnection Create(Socket socket, SocketConnectionOptions options, ILogger logger)
        => options.BlockingIo ? new BlockingSocketConnection(socket, options, logger) : new AsyncSocketConnection(socket, options, logger);

    public void Start()
    {
        _receiveLoop = StartReceiving();
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Closes the socket at once, without draining.</summary>
    public void Abort()
    {
        ReceiveCancel.Cancel();
        BeforeClose();
        try
        {
            Socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _output.Writer.CompleteAsync();
        await _input.Reader.CompleteAsync();
        try
        {
            await _sendLoop.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            TransportLog.DrainTimedOut(_logger, RemoteEndPoint);
        }

        if (_receiveLoop.IsCompleted)
        {
            // The peer has finished sending and everything it sent was read: a plain close lets the kernel deliver
            // what we sent last (an error frame, the end of a stream). Closing with linger 0 would reset instead and
            // could destroy those bytes before the peer reads them.
            ReceiveCancel.Cancel();
            BeforeClose();
            Socket.Close();
        }
        else
        {
            Abort();
        }

        await _receiveLoop;
        Socket.Dispose();
        ReceiveCancel.Dispose();
        OnDisposed();
    }

    /// <summary>Called before the socket is closed (its descriptor may then be reused by another socket): a subclass that
    /// uses the descriptor directly stops here, on whatever thread closes.</summary>
    protected virtual void BeforeClose()
    {
    }

    /// <summary>Releases what a subclass holds, once both loops have ended.</summary>
    protected virtual void OnDisposed()
    {
    }

    /// <summary>Starts the loop that reads the socket into <see cref="Received"/>; it ends with <see cref="CompleteInput"/>.</summary>
    protected abstract Task StartReceiving();

    /// <summary>Sends some of <paramref name="segment"/>, returning how many bytes went.</summary>
    protected abstract ValueTask<int> SendAsync(ReadOnlyMemory<byte> segment);

    /// <summary>Sends some of <paramref name="segments"/> in one system call, returning how many bytes went.</summary>
    protected abstract ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments);

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                var remaining = buffer;
                while (!remaining.IsEmpty)
                {
                    // Several segments queued (a bulk sender outran the kernel, or this loop was late): one gather
                    // send instead of a system call per segment.
                    int sent = !remaining.IsSingleSegment && Gather(remaining) ? await SendAsync(_gather) : await SendAsync(remaining.First);
                    remaining = remaining.Slice(sent);
                    Volatile.Write(ref _handedOn, _handedOn + sent);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException ex)
        {
            if (!IsConnectionEnd(ex.SocketErrorCode))
            {
                TransportLog.SendFailed(_logger, RemoteEndPoint, ex.SocketErrorCode);
            }

            // A peer that reset is also gone for the receive loop, which still reads what arrived before the reset
            // (often an error frame that says why): aborting here would throw those bytes away. Any other failure
            // (a send that timed out on a peer that stopped reading) aborts the whole connection. Either way the
            // output reader completes below, so the application's writes stop instead of queueing forever.
            if (!IsConnectionEnd(ex.SocketErrorCode))
            {
                Abort();
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Lists the first segments of <paramref name="buffer"/> for a gather send; false when a segment is not
    /// array-backed (then they go one by one).</summary>
    private bool Gather(in ReadOnlySequence<byte> buffer)
    {
        _gather.Clear();
        foreach (var segment in buffer)
        {
            if (!MemoryMarshal.TryGetArray(segment, out var array))
            {
                return false;
            }

            _gather.Add(array);
            if (_gather.Count == MaxGatherSegments)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>Ends the input: a failure is recorded first and raised after the bytes that arrived before it.</summary>
    protected void CompleteInput(Exception? error)
    {
        if (error is not null)
        {
            _received.Fail(error);
        }

        _input.Writer.Complete();
    }

    /// <summary>The peer's address; null when the peer already reset (getpeername fails with ENOTCONN), which the
    /// application then learns from reading, after whatever the peer sent before resetting.</summary>
    private static EndPoint? PeerAddress(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>What the application's reader sees when a receive fails: nothing for our own abort, a reset when
    /// the peer went away, the error itself otherwise.</summary>
    protected Exception? ReceiveError(SocketException ex)
    {
        if (ReceiveCancel.IsCancellationRequested)
        {
            return null;
        }

        if (IsConnectionEnd(ex.SocketErrorCode))
        {
            return new ConnectionResetException(ex.Message, ex);
        }

        TransportLog.ReceiveFailed(_logger, RemoteEndPoint, ex.SocketErrorCode);
        return ex;
    }

    private static bool IsConnectionEnd(SocketError error)
        => error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            or SocketError.OperationAborted or SocketError.Interrupted;
}
