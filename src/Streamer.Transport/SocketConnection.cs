using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport;

/// <summary>
/// A TCP socket exposed as a duplex pipe, with separate receive and send loops (Kestrel's shape).
/// Disposal is idempotent: it drains what the application wrote, then closes the socket.
/// </summary>
internal sealed class SocketConnection : IDuplexPipe, IAsyncDisposable
{
    private const int ReceiveBufferHint = 64 * 1024;
    private const int OutputSegmentBytes = 64 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly ReceivedInput _received;
    private readonly CancellationTokenSource _receiveCancel = new();
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private int _disposed;

    public SocketConnection(Socket socket, SocketConnectionOptions options, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        Options = options;
        socket.NoDelay = true;
        if (options.SendBufferBytes is { } sendBuffer)
        {
            socket.SendBufferSize = sendBuffer;
        }

        if (options.BlockingIo)
        {
            // A blocking send runs on whichever thread resumed the send loop and cannot be cancelled: bound it, so a
            // peer that stops reading fails the connection instead of hanging a flush, a ping or DisposeAsync.
            socket.SendTimeout = (int)DrainTimeout.TotalMilliseconds;
        }

        RemoteEndPoint = PeerAddress(socket);
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
            minimumSegmentSize: OutputSegmentBytes,
            useSynchronizationContext: false));
    }

    public EndPoint? RemoteEndPoint { get; }

    public SocketConnectionOptions Options { get; }

    /// <summary>What the peer sent. Bytes that arrived before a reset are all read before the reset is raised.</summary>
    public PipeReader Input => _received;

    public PipeWriter Output => _output.Writer;

    public void Start()
    {
        _receiveLoop = Options.BlockingIo ? StartBlockingReceiveThread() : Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Closes the socket at once, without draining.</summary>
    public void Abort()
    {
        _receiveCancel.Cancel();
        try
        {
            _socket.Close(0);
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
            _receiveCancel.Cancel();
            _socket.Close();
        }
        else
        {
            Abort();
        }

        await _receiveLoop;
        _socket.Dispose();
        _receiveCancel.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                // Large reads: one syscall should carry many frames when the peer sends fast.
                var memory = writer.GetMemory(ReceiveBufferHint);
                int received = await _socket.ReceiveAsync(memory, SocketFlags.None, _receiveCancel.Token);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException ex)
        {
            error = ReceiveError(ex);
        }
        finally
        {
            await CompleteInputAsync(error);
        }
    }

    private Task StartBlockingReceiveThread()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                BlockingReceiveLoop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Streamer receive",
        };
        thread.Start();
        return done.Task;
    }

    private void BlockingReceiveLoop()
    {
        Exception? error = null;
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveBufferHint);
                // Abort and dispose close the socket, which makes a blocked recv return.
                int received = _socket.Receive(memory.Span, SocketFlags.None, out var socketError);
                if (socketError != SocketError.Success)
                {
                    throw new SocketException((int)socketError);
                }

                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                // The reader runs inline on this thread; a flush that does not complete is the reader pushing back.
                var flushing = writer.FlushAsync();
                var flush = flushing.IsCompleted ? flushing.Result : flushing.AsTask().GetAwaiter().GetResult();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException ex)
        {
            error = ReceiveError(ex);
        }
        finally
        {
            if (error is not null)
            {
                _received.Fail(error);
            }

            writer.Complete();
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    int sent = 0;
                    while (sent < segment.Length)
                    {
                        sent += Options.BlockingIo
                            ? _socket.Send(segment.Span[sent..], SocketFlags.None)
                            : await _socket.SendAsync(segment[sent..], SocketFlags.None);
                    }
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            _socket.Shutdown(SocketShutdown.Send);
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

    /// <summary>Ends the input: a failure is recorded first and raised after the bytes that arrived before it.</summary>
    private ValueTask CompleteInputAsync(Exception? error)
    {
        if (error is not null)
        {
            _received.Fail(error);
        }

        return _input.Writer.CompleteAsync();
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
    private Exception? ReceiveError(SocketException ex)
    {
        if (_receiveCancel.IsCancellationRequested)
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
