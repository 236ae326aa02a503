using System.Net;
using System.Net.Sockets;

namespace Streamer.Transport.Sockets;

/// <summary>Resolves and connects with a timeout; failures surface as <see cref="SocketException"/> with a code.</summary>
public static class TcpConnector
{
    /// <param name="host">A name to resolve or an address literal.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="timeout">For resolving and connecting together; running out is <see cref="SocketError.TimedOut"/>.</param>
    /// <param name="cancellationToken">Abandons the attempt (thrown as cancellation, not as a timeout).</param>
    /// <param name="blocking">
    /// True connects with a blocking system call on a thread of its own, so the socket never joins the runtime's
    /// epoll set and stays blocking (for <see cref="SocketConnectionOptions.BlockingIo"/>); a timeout or
    /// cancellation closes the socket, which unblocks the call.
    /// </param>
    public static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken, bool blocking = false)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, timeoutCts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                var endPoint = new IPEndPoint(address, port);
                if (blocking)
                {
                    await ConnectBlockingAsync(socket, endPoint, timeoutCts.Token);
                }
                else
                {
                    await socket.ConnectAsync(endPoint, timeoutCts.Token);
                }

                return socket;
            }
            catch (SocketException ex) when (AcceptedThenReset(ex))
            {
                // The connection was made: the reader gets what the server sent before resetting (why it refused).
                return socket;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new SocketException((int)SocketError.TimedOut);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }

        throw last!;
    }

    /// <summary>
    /// True when a connect "failed" only because the server accepted and reset before the completion was seen:
    /// Linux reports the pending ECONNRESET through SO_ERROR. A refused connect is ECONNREFUSED, so this connection
    /// exists, and whatever the server sent before resetting (an error frame saying why) is still there to read.
    /// </summary>
    public static bool AcceptedThenReset(SocketException ex) => ex.SocketErrorCode == SocketError.ConnectionReset;

    private static async Task ConnectBlockingAsync(Socket socket, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var closeOnCancel = cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket);
        try
        {
            await Task.Factory.StartNew(static state => { var (s, e) = ((Socket, IPEndPoint))state!; s.Connect(e); }, (socket, endPoint), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            // Waits for a callback that is running, so the check below sees whether it closed the socket.
            await closeOnCancel.DisposeAsync();
        }

        // The deadline may have closed the socket just after the connect succeeded.
        cancellationToken.ThrowIfCancellationRequested();
    }
}
