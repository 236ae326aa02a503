using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// Bad HTTP peers never cost the audio listeners anything: while a real <c>streamer play</c> takes 8 s of the broadcast,
/// 10 000 connections are opened to the HTTP port and left idle, unknown paths are asked for and a stream listener
/// stops reading. The player must get every frame (counted, not timed: none lost or late, no sequence gap from a
/// server that skipped it ahead, and at least 6 s of its 8 s), and once the idle sockets are gone the HTTP stream serves a new listener again.
/// </summary>
public partial class WebAbuseTests
{
    private const int IdleConnections = 10_000;

    [Fact]
    public async Task Ten_thousand_idle_connections_404s_and_a_stalled_reader_never_affect_a_protocol_listener()
    {
        var (server, audioPort, httpPort) = await WebServerProcess.StartAsync("tone", "--http-max-connections", "500");
        await using (server)
        {
            await using var play = CliProcess.Start(["play", $"127.0.0.1:{audioPort}", "--output", "null", "--duration", "8s"]);
            await WebStatusTests.WaitForReportAsync(httpPort, packetsAbove: 0);

            using var stalled = await StalledStreamReaderAsync(httpPort);
            var idle = new List<Socket>(IdleConnections);
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                for (int i = 0; i < 50; i++)
                {
                    var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/no/such/{i}");
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                }

                int opened = await OpenIdleAsync(httpPort, idle);
                Assert.True(opened > 1000, $"only {opened} of the idle connections were accepted: the flood did not happen");

                int code = await play.WaitForExitAsync(TimeSpan.FromSeconds(120));
                Assert.True(code == 0, $"play exited {code}\n{play.Stderr}");
                var summary = Summary().Match(play.Stdout + play.Stderr);
                Assert.True(summary.Success, "no summary line:\n" + play.Stdout + play.Stderr);
                Assert.True(int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture) >= 300, summary.Value);
                Assert.Equal("0", summary.Groups[2].Value);
                Assert.Equal("0", summary.Groups[3].Value);
            }
            finally
            {
                foreach (var socket in idle)
                {
                    socket.Dispose();
                }
            }

            // The HTTP side itself recovers: a new listener gets the headers.
            byte[] data = await WebServerProcess.ReadStreamAsync(httpPort, 2000);
            Assert.StartsWith("OpusHead", Encoding.ASCII.GetString(WebServerProcess.Pages(data)[0].Body));
        }
    }

    /// <summary>Opens the connections (in parallel batches), never sending a byte; refused or reset ones just count as tried.</summary>
    private static async Task<int> OpenIdleAsync(int port, List<Socket> sockets)
    {
        int opened = 0;
        for (int batch = 0; batch < IdleConnections; batch += 500)
        {
            var connects = new List<Task>(500);
            for (int i = 0; i < 500; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                connects.Add(ConnectQuietlyAsync(socket, port));
            }

            await Task.WhenAll(connects);
        }

        foreach (var socket in sockets)
        {
            opened += socket.Connected ? 1 : 0;
        }

        return opened;
    }

    private static async Task ConnectQuietlyAsync(Socket socket, int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>A listener that asks for the stream and then never reads (a tiny receive window fills at once).</summary>
    private static async Task<Socket> StalledStreamReaderAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /stream.opus HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        return socket;
    }

    [GeneratedRegex(@"(\d+) packets, \d+ bytes, (\d+) lost, (\d+) late")]
    private static partial Regex Summary();
}
