using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Tests.Support;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

/// <summary>Bytes that arrived before a reset reach the application before the reset does.</summary>
public class ReceivedInputTests
{
    [Fact]
    public async Task Bytes_written_before_a_failure_are_read_before_it()
    {
        var pipe = new Pipe();
        var input = new ReceivedInput(pipe.Reader);
        await pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        input.Fail(new ConnectionResetException("reset"));
        await pipe.Writer.CompleteAsync();

        var first = await input.ReadAsync();
        Assert.Equal([1, 2, 3], first.Buffer.ToArray());
        Assert.False(first.IsCompleted);
        input.AdvanceTo(first.Buffer.End);
        await Assert.ThrowsAsync<ConnectionResetException>(async () => await input.ReadAsync());
    }

    [Fact]
    public async Task A_remainder_the_reader_examined_and_left_ends_in_the_failure_instead_of_spinning()
    {
        var pipe = new Pipe();
        var input = new ReceivedInput(pipe.Reader);
        await pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        input.Fail(new ConnectionResetException("reset"));
        await pipe.Writer.CompleteAsync();

        var first = await input.ReadAsync();
        // Half a frame: nothing consumed, everything examined.
        input.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        await Assert.ThrowsAsync<ConnectionResetException>(async () => await input.ReadAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task An_error_frame_followed_by_a_reset_is_read_even_when_the_reader_comes_late(bool blocking) => Task.Run(async () =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var accepting = listener.AcceptSocketAsync(timeout.Token).AsTask();
            var socket = await TcpConnector.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(10), timeout.Token, blocking: blocking);
            using (var peer = await accepting)
            {
                peer.Send(RawPeer.Frame(new ErrorMessage("server-full", "full, try later")));
                peer.Close(0);
            }

            // The reset is there before the connection exists: getpeername fails, recv returns the frame, then ECONNRESET.
            await Task.Delay(50, timeout.Token);
            await using var client = SocketConnection.Create(socket, new SocketConnectionOptions { BlockingIo = blocking }, NullLogger.Instance);
            client.Start();
            await Task.Delay(50, timeout.Token);
            var reader = new FrameReader(client.Input);
            Assert.Equal(FrameReadOutcome.Frame, await reader.ReadAsync(timeout.Token));
            Assert.Equal("full, try later", ErrorMessage.Read(reader.Current.Payload).Message);
            await Assert.ThrowsAsync<ConnectionResetException>(async () => await reader.ReadAsync(timeout.Token));
        }
    });
}
