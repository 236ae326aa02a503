using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

public sealed class SocketConnectionTests
{
    // Both send modes must deliver every frame, in order and intact, including when the writer runs far ahead of
    // the send loop (the 1 MiB bound of bulk sessions) and when it waits on the bound (a small one).
    [Theory]
    [InlineData(false, 64 * 1024)]
    [InlineData(true, 1024 * 1024)]
    [InlineData(true, 8 * 1024)]
    public async Task Frames_arrive_in_order_and_intact_in_either_send_mode(bool sendInParallel, int outputBound)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(timeout.Token).AsTask();
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await clientSocket.ConnectAsync(listener.LocalEndpoint, timeout.Token);
        var options = new SocketConnectionOptions { SendInParallel = sendInParallel, MaxOutputBufferBytes = outputBound };
        var sending = SocketConnection.Create(await accepting, options, NullLogger.Instance);
        var receiving = SocketConnection.Create(clientSocket, new SocketConnectionOptions(), NullLogger.Instance);
        sending.Start();
        receiving.Start();

        const int Frames = 3000;
        var random = new Random(42);
        var payloads = Enumerable.Range(0, 16).Select(_ => { var p = new byte[random.Next(1, 9000)]; random.NextBytes(p); return p; }).ToArray();

        var send = Task.Run(async () =>
        {
            using var sender = new FrameSender(sending.Output);
            for (uint i = 0; i < Frames; i++)
            {
                Assert.True(await sender.SendAudioAsync(i, i, new ReadOnlySequence<byte>(payloads[i % payloads.Length]), flush: i % 7 == 0, timeout.Token));
            }

            await sender.CompleteAsync();
        });

        var reader = new FrameReader(receiving.Input);
        for (uint i = 0; i < Frames; i++)
        {
            Assert.Equal(FrameReadOutcome.Frame, await reader.ReadAsync(timeout.Token));
            Assert.Equal(i, reader.Current.Header.Sequence);
            Assert.Equal(payloads[i % payloads.Length], reader.Current.Payload.ToArray());
        }

        Assert.Equal(FrameReadOutcome.End, await reader.ReadAsync(timeout.Token));
        await send;
        await sending.DisposeAsync();
        await receiving.DisposeAsync();
    }
}
