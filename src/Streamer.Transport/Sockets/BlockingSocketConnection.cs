using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

/// <summary>
/// A socket left in blocking mode (<see cref="SocketConnectionOptions.BlockingIo"/>): a dedicated thread blocks in
/// <c>recv</c> and runs the application's reader inline, and sends are plain blocking <c>send</c> calls. One system
/// call and one wake-up per received frame: the cheapest way for a client to receive one live stream.
/// </summary>
internal sealed class BlockingSocketConnection : SocketConnection
{
    public BlockingSocketConnection(Socket socket, SocketConnectionOptions options, ILogger logger)
        : base(socket, options, logger)
    {
        // A blocking send runs on whichever thread resumed the send loop and cannot be cancelled: bound it, so a
        // peer that stops reading fails the connection instead of hanging a flush, a ping or DisposeAsync.
        socket.SendTimeout = (int)DrainTimeout.TotalMilliseconds;
    }

    protected override Task StartReceiving()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReceiveLoop();
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

    protected override ValueTask<int> SendAsync(ReadOnlyMemory<byte> segment) => new(Socket.Send(segment.Span, SocketFlags.None));

    protected override ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments) => new(Socket.Send(segments, SocketFlags.None));

    private void ReceiveLoop()
    {
        Exception? error = null;
        var writer = Received;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveBufferHint);
                // Abort and dispose close the socket, which makes a blocked recv return.
                int received = Socket.Receive(memory.Span, SocketFlags.None, out var socketError);
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
            CompleteInput(error);
        }
    }
}
