using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

/// <summary>
/// A socket driven by the runtime's asynchronous I/O (epoll): no thread of its own, so a server holds thousands.
/// Sends run inline on the thread that flushed, or on a thread-pool thread of their own with
/// <see cref="SocketConnectionOptions.SendInParallel"/> (bulk transfers). It also takes bytes at once
/// (<see cref="IImmediateSend"/>): one non-blocking <c>send</c> on the caller's thread while nothing is queued.
/// </summary>
internal sealed class AsyncSocketConnection : SocketConnection, IImmediateSend
{
    private readonly GatherSender _gatherSender = new();
    private readonly int _descriptor = -1;
    private DescriptorGuard _guard;

    public AsyncSocketConnection(Socket socket, SocketConnectionOptions options, ILogger logger)
        : base(socket, options, logger)
    {
        // The runtime's own I/O is non-blocking underneath anyway; this makes a synchronous send say "would block"
        // instead of waiting, which is what TrySendNow needs. Only asynchronous calls are used otherwise.
        socket.Blocking = false;
        if (DirectSend.Supported)
        {
            _descriptor = DirectSend.Descriptor(socket);
        }
    }

    public int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (!SendQueueIdle)
        {
            return 0;
        }

        if (_descriptor >= 0)
        {
            if (!_guard.TryEnter())
            {
                return 0;
            }

            try
            {
                return DirectSend.TrySend(_descriptor, data);
            }
            finally
            {
                _guard.Exit();
            }
        }

        try
        {
            // WouldBlock (the kernel's buffer is full) and every failure read as "took nothing": the caller then writes
            // to the output, and the send loop meets the failure and reports it the usual way.
            int sent = Socket.Send(data, SocketFlags.None, out SocketError error);
            return error == SocketError.Success ? sent : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    protected override void BeforeClose() => _guard.Close();

    protected override void OnDisposed() => _gatherSender.Dispose();

    protected override Task StartReceiving() => Task.Run(ReceiveLoopAsync);

    protected override ValueTask<int> SendAsync(ReadOnlyMemory<byte> segment) => Socket.SendAsync(segment, SocketFlags.None);

    protected override ValueTask<int> SendAsync(IList<ArraySegment<byte>> segments) => _gatherSender.SendAsync(Socket, segments);

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        var writer = Received;
        try
        {
            while (true)
            {
                if (Options.WaitForDataBeforeAllocatingBuffer)
                {
                    // Readable, or the peer closed (then the real read below returns 0 or the error).
                    await Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ReceiveCancel.Token);
                }

                var memory = writer.GetMemory(ReceiveBufferHint);
                int received = await Socket.ReceiveAsync(memory, SocketFlags.None, ReceiveCancel.Token);
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
            CompleteInput(error);
        }
    }
}
