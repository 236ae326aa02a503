using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Probe;
using Streamer.Protocol;
using Streamer.Streaming.Receive;
using Streamer.Tests.Chat;
using Streamer.Tests.Support;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Cli;

/// <summary>
/// A refused peer always learns why: servers send the error, close their side and drain before closing (no reset
/// while the error may be unread), and clients read what arrived before a reset before reporting it.
/// </summary>
public class ErrorFrameDeliveryTests
{
    private const int Tries = 50;
    private static readonly TimeSpan HangUpTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_audio_server_answers_every_version_mismatch_with_its_reason_and_a_clean_close()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        WavFixture.Write(dir.File("in.wav"), format, 800);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            for (int i = 0; i < Tries; i++)
            {
                await AssertRefusedCleanlyAsync(port, "version-mismatch", "client speaks 99", i);
            }
        }
    }

    [Fact]
    public async Task The_chat_server_answers_every_version_mismatch_with_its_reason_and_a_clean_close()
    {
        await using var host = new ChatRoomHost();
        for (int i = 0; i < Tries; i++)
        {
            await AssertRefusedCleanlyAsync(host.Port, "version-mismatch", "client speaks 99", i);
        }
    }

    [Fact]
    public async Task Clients_report_the_reason_of_a_server_that_sends_an_error_and_resets()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var refusing = RefuseAndResetAsync(listener, stop.Token);
        using var dir = new TempDirectory();
        var server = new HostPort("127.0.0.1", port);
        for (int i = 0; i < Tries; i++)
        {
            var client = new StreamClient(new StreamClientOptions { CreateSink = chain => chain.Decode(new WavFileOutput(dir.File("out.wav"))) }, NullLogger.Instance);
            var played = await Assert.ThrowsAsync<RemoteErrorException>(() => client.RunAsync(server, new ReceivedStream(), CancellationToken.None));
            Assert.Equal(Reason, played.Message);

            var chatted = await Assert.ThrowsAsync<RemoteErrorException>(() => ChatClient.ConnectAsync(server, "alice", NullLogger.Instance, CancellationToken.None));
            Assert.Equal(Reason, chatted.Message);

            var socket = await TcpConnector.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(10), CancellationToken.None);
            var (info, notStreamer) = await ProtocolProbe.RunAsync(SocketConnector.Wrap(socket, ProtocolProbe.ConnectionOptions, NullLogger.Instance), "127.0.0.1", new ProbeOptions(), CancellationToken.None);
            Assert.Null(notStreamer);
            Assert.Contains(Reason, info!.Error, StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        await refusing;
    }

    [Fact]
    public async Task Streamer_play_prints_the_reason_of_a_server_that_sends_an_error_and_resets()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var refusing = RefuseAndResetAsync(listener, stop.Token);
        using var dir = new TempDirectory();
        for (int i = 0; i < 20; i++)
        {
            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);

            Assert.Equal(1, code);
            Assert.Contains("the server said: " + Reason, stderr, StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        await refusing;
    }

    private const string Reason = "the server has too many clients; try again later";

    /// <summary>The worst case for a client: the error and a reset, sent before (even) or after (odd) its hello is read.</summary>
    private static async Task RefuseAndResetAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        byte[] error = RawPeer.Frame(new ErrorMessage("server-full", Reason));
        for (int i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (socket)
            {
                if (i % 2 == 1)
                {
                    var buffer = new byte[256];
                    _ = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                }

                socket.Send(error);
                socket.Close(0);
            }
        }
    }

    private static async Task AssertRefusedCleanlyAsync(int port, string code, string reason, int attempt)
    {
        using var peer = await RawPeer.ConnectAsync(port);
        // A ping right behind the hello: input the server has not read when it refuses, the classic cause of a reset.
        await peer.SendAsync([.. RawPeer.Hello(version: 99), .. RawPeer.Frame(new PingProbe())]);
        var (bytes, reset) = await ReadUntilClosedAsync(peer, HangUpTimeout);

        var frames = RawPeer.Frames(bytes);
        var error = Assert.Single(frames);
        Assert.Equal(FrameKind.Error, error.Header.Kind);
        var message = ErrorMessage.Read(new ReadOnlySequence<byte>(error.Payload));
        Assert.Equal(code, message.Code);
        Assert.Contains(reason, message.Message, StringComparison.Ordinal);
        Assert.False(reset, $"try {attempt}: the server reset the connection instead of closing it");
    }

    /// <summary>Everything the peer received, and whether the connection ended in a reset rather than a FIN.</summary>
    internal static async Task<(byte[] Bytes, bool Reset)> ReadUntilClosedAsync(RawPeer peer, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await peer.Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return (all.ToArray(), true);
            }

            if (n == 0)
            {
                return (all.ToArray(), false);
            }

            all.Write(buffer, 0, n);
        }
    }

    /// <summary>An empty ping frame.</summary>
    private sealed class PingProbe : IControlMessage
    {
        public FrameKind Kind => FrameKind.Ping;

        public void Write(ref MessagePack.MessagePackWriter writer)
        {
        }
    }
}
