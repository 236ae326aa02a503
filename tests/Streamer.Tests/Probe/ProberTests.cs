using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Probe;
using Streamer.Protocol;
using Streamer.Streaming.Send;

namespace Streamer.Tests.Probe;

public class ProberTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Open_port_is_up_with_its_address_and_connect_time()
    {
        using var listener = LoopbackPorts.Listen(IPAddress.Loopback);
        var result = await Probe($"127.0.0.1:{LoopbackPorts.PortOf(listener)}", new ProbeOptions { PingCount = 0 });

        Assert.True(result.IsUp);
        Assert.Equal(ProbeFailure.None, result.Failure);
        Assert.Equal("127.0.0.1", result.Address);
        Assert.NotNull(result.ConnectMs);
        Assert.True(result.ConnectMs >= 0);
        Assert.Equal(1, result.Attempts);
        Assert.Null(result.Streamer);
    }

    [Fact]
    public async Task Open_port_that_is_not_Streamer_is_up_with_a_note()
    {
        using var listener = LoopbackPorts.Listen(IPAddress.Loopback);
        var result = await Probe($"127.0.0.1:{LoopbackPorts.PortOf(listener)}", new ProbeOptions { PingCount = 3, Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.True(result.IsUp);
        Assert.Null(result.Streamer);
        Assert.Contains("no hello", result.ProtocolNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_IPv6_port_is_up()
    {
        using var listener = LoopbackPorts.Listen(IPAddress.IPv6Loopback);
        var result = await Probe($"[::1]:{LoopbackPorts.PortOf(listener)}", new ProbeOptions { PingCount = 0 });

        Assert.True(result.IsUp);
        Assert.Equal("::1", result.Address);
    }

    [Fact]
    public async Task Closed_port_is_down_refused_after_every_attempt()
    {
        int port = LoopbackPorts.ClosedPort();
        var result = await Probe($"127.0.0.1:{port}", new ProbeOptions { Attempts = 3, Delay = TimeSpan.FromMilliseconds(10) });

        Assert.False(result.IsUp);
        Assert.Equal(ProbeFailure.Refused, result.Failure);
        Assert.Equal("refused", result.Failure.ToText());
        Assert.Equal(3, result.Attempts);
        Assert.Equal("127.0.0.1", result.Address);
        Assert.Null(result.ConnectMs);
    }

    [Fact]
    public async Task Unresolvable_name_is_down_not_resolved()
    {
        var result = await Probe("no-such-host.invalid:80", new ProbeOptions { Attempts = 2, Delay = TimeSpan.FromMilliseconds(10) });

        Assert.False(result.IsUp);
        Assert.Equal(ProbeFailure.NotResolved, result.Failure);
        Assert.Equal("not resolved", result.Failure.ToText());
        Assert.Null(result.Address);
    }

    [Fact]
    public async Task Connect_that_never_completes_is_down_timed_out()
    {
        using var full = new BacklogFullListener();
        var result = await Probe($"127.0.0.1:{full.Port}", new ProbeOptions { Attempts = 1, Timeout = TimeSpan.FromMilliseconds(500) });

        Assert.False(result.IsUp);
        Assert.Equal(ProbeFailure.TimedOut, result.Failure);
        Assert.Equal("timed out", result.Failure.ToText());
        Assert.Contains("0.5 s", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_are_probed_concurrently()
    {
        using var full = new BacklogFullListener();
        using var open = LoopbackPorts.Listen(IPAddress.Loopback);
        var targets = new List<ProbeTarget>();
        foreach (string text in new[] { $"127.0.0.1:{full.Port}", $"localhost:{full.Port}", $"127.0.0.1:{LoopbackPorts.PortOf(open)}", $"127.0.0.1:{full.Port}" })
        {
            Assert.True(ProbeTarget.TryParse(text, 1, out var target, out _));
            targets.Add(target);
        }

        var prober = new Prober(new ProbeOptions { Attempts = 1, Timeout = TimeSpan.FromSeconds(2), PingCount = 0 }, NullLogger.Instance);
        var clock = Stopwatch.StartNew();
        var results = await prober.ProbeAllAsync(targets, Timeout);
        clock.Stop();

        // Not a speed check: three 2 s timeouts run one after another cannot take less than 6 s however fast the
        // machine, so finishing under 6 s proves they overlapped (together they take about 2 s).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}: the timeouts ran one after another");
        Assert.Equal(ProbeFailure.TimedOut, results[0].Failure);
        Assert.Equal(ProbeFailure.TimedOut, results[3].Failure);
        Assert.True(results[2].IsUp);
        Assert.Same(targets[1], results[1].Target);
    }

    [Fact]
    public async Task A_target_that_comes_up_between_attempts_is_up_on_a_later_attempt()
    {
        int port = LoopbackPorts.ClosedPort();
        Socket? listener = null;
        // Start listening right after the first attempt fails (event 501), so the second attempt finds it.
        var logger = new CallbackLogger((id, _) =>
        {
            if (id.Id == 501 && listener is null)
            {
                listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                listener.Listen(4);
            }
        });
        try
        {
            Assert.True(ProbeTarget.TryParse($"127.0.0.1:{port}", 1, out var target, out _));
            var result = await new Prober(new ProbeOptions { Attempts = 5, Delay = TimeSpan.FromMilliseconds(50), PingCount = 0 }, logger).ProbeAsync(target, Timeout);

            Assert.True(result.IsUp);
            Assert.Equal(2, result.Attempts);
        }
        finally
        {
            listener?.Dispose();
        }
    }

    [Fact]
    public async Task Streamer_audio_server_reports_version_and_round_trips()
    {
        byte[] signal = TestSignal.CreateWav(0.5);
        var sources = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(signal, writable: false), "test signal", ct), new PcmCodec(), new CodecOptions());
        await using var server = new StreamServer("127.0.0.1", 0, sources, new StreamServerOptions(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(stop.Token);
        try
        {
            var result = await Probe($"streamer://127.0.0.1:{server.LocalEndPoint.Port}", new ProbeOptions { PingCount = 8 });

            Assert.True(result.IsUp);
            var peer = Assert.IsType<StreamerPeerInfo>(result.Streamer);
            Assert.Equal(ProtocolVersion.Current, peer.Version);
            Assert.Equal("server", peer.Role);
            Assert.StartsWith("streamer/", peer.Agent, StringComparison.Ordinal);
            Assert.Null(peer.Error);
            var rtt = Assert.IsType<RttStatistics>(peer.Rtt);
            Assert.Equal(8, rtt.Sent);
            Assert.Equal(8, rtt.Received);
            Assert.True(rtt.MinMs >= 0);
            Assert.True(rtt.MinMs <= rtt.AvgMs && rtt.AvgMs <= rtt.MaxMs);
            Assert.True(rtt.P99Ms <= rtt.MaxMs && rtt.P99Ms >= rtt.MinMs);
            Assert.True(rtt.JitterMs >= 0 && rtt.JitterMs <= rtt.MaxMs - rtt.MinMs);
        }
        finally
        {
            await stop.CancelAsync();
            await serving.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    private static async Task<ProbeResult> Probe(string text, ProbeOptions options)
    {
        Assert.True(ProbeTarget.TryParse(text, 443, out var target, out string error), error);
        return await new Prober(options, NullLogger.Instance).ProbeAsync(target, Timeout);
    }
}
