using System.Net;
using Streamer.Bench.Latency;
using Streamer.Bench.Proxy;
using Streamer.Media.Codecs;
using Streamer.Streaming;
using Streamer.Transport;

namespace Streamer.Tests.Bench.Proxy;

/// <summary>
/// The accuracy checks, in real time: <c>bench latency</c>'s own sender and receiver with the receiver behind a
/// real <see cref="TcpProxy"/> on loopback (as <c>bench matrix</c> runs a cell). The tolerances are stated and derived
/// in docs/bench.md ("How accurate"); each is checked against the delay the proxy itself measured applying, so a
/// loaded machine (the proxy's timer waking late) widens nothing silently: it shows in the proxy's own figure.
/// </summary>
public sealed class ProxyLatencyAccuracyTests
{
    /// <summary>The proxy's uniform jitter: mean m = 10 ms, so draws X ~ U(0, 20 ms), and E|X₁ − X₂| = 2m/3.</summary>
    private const double JitterMeanMs = 10;

    private const double ExpectedJitterMs = 2 * JitterMeanMs / 3;

    [Fact]
    public async Task Through_a_50_ms_proxy_the_wire_stage_p50_is_50_ms_within_2_ms_plus_what_the_proxy_measured_itself_late()
    {
        var (report, proxy) = await RunAsync(new NetworkConditions { Delay = TimeSpan.FromMilliseconds(50) }, seconds: 6);
        var (schedule, applied) = (proxy.DownstreamSchedule, proxy.DownstreamDelay);
        string text = LatencyReportWriter.Text(report) + $"proxy schedule (down): {schedule}\nproxy applied (down): {applied}\n";
        var wire = report.Stage(LatencyStage.Wire)!;
        Assert.True(wire.Count >= 200, text);

        // The proxy's schedule is exactly arrival + 50 ms, and it never sends early: what it applied is the schedule
        // plus how late it woke (its median lateness: 0.1 ms on a quiet machine, a few ms at a load of 20 on 2 cores).
        Assert.True(schedule.Chunks >= wire.Count / 2, text);
        Assert.Equal((50.0, 50.0), (schedule.MinMilliseconds, schedule.MaxMilliseconds));
        Assert.True(applied.MinMilliseconds >= 50, text);
        double lateness = applied.P50Milliseconds - 50;

        // The figure: the wire stage's median is the proxy's 50 ms within 2 ms, plus that lateness.
        Assert.InRange(wire.P50Milliseconds, 48, 52 + lateness);

        // Sharper: the wire stage is what the proxy applied, once the clock-offset estimate's error is taken out (one
        // host: the true offset is 0, so the estimate is its own error; the equal delays both ways keep it small). The
        // rest is the loopback hops on either side of the proxy.
        double offsetMs = report.ClockOffsetMicroseconds / 1000.0;
        Assert.InRange(wire.P50Milliseconds - offsetMs - applied.P50Milliseconds, -1, 2);

        // The estimate rests on pings that crossed the proxy both ways (a round trip of at least 100 ms), and its
        // error is bounded as NTP's is: at most half of what the round trip spent beyond the two fixed delays.
        Assert.True(report.RoundTripMicroseconds >= 100_000, text);
        Assert.True(Math.Abs(report.ClockOffsetMicroseconds) <= ((report.RoundTripMicroseconds - 100_000) / 2) + 500, text);
    }

    // Timing: RFC 3550's J is a running mean over the last ~16 packets, so one scheduling stall of a loaded machine near
    // the end of the 10 s run moves it by tens of ms (a CI run under the full suite read 67 ms with every other figure
    // in range). Run it on a quiet machine: tools/test.sh --filter Category=Timing.
    [Fact]
    [Trait("Category", "Timing")]
    public async Task Through_a_proxy_with_uniform_10_ms_jitter_the_rfc_3550_jitter_is_two_thirds_of_the_mean()
    {
        var conditions = new NetworkConditions
        {
            Delay = TimeSpan.FromMilliseconds(50),
            Jitter = TimeSpan.FromMilliseconds(JitterMeanMs),
            JitterDistribution = JitterDistribution.Uniform,
        };
        var (report, proxy) = await RunAsync(conditions, seconds: 10);
        var (schedule, applied) = (proxy.DownstreamSchedule, proxy.DownstreamDelay);
        string text = LatencyReportWriter.Text(report) + $"proxy schedule (down): {schedule}\nproxy applied (down): {applied}\n";
        var wire = report.FrameSeries[LatencyStage.Wire];
        Assert.True(wire.Length >= 400, text);

        // The schedule: 50 ms plus U(0, 20 ms) per chunk: never less than 50 or more than 70, mean 60, and the mean
        // |difference| of consecutive draws 2m/3 = 6.67 ms (over ~500 chunks its own spread is 0.25 ms; ±1 leaves room for the chunks a late sender bunched, which the no-reorder rule holds back together).
        Assert.InRange(schedule.MinMilliseconds, 50, 51);
        Assert.InRange(schedule.MaxMilliseconds, 69, 70);
        Assert.InRange(schedule.MeanMilliseconds, 59, 62);
        Assert.InRange(schedule.MeanAbsoluteDifferenceMilliseconds, ExpectedJitterMs - 1, ExpectedJitterMs + 1);
        Assert.True(applied.MinMilliseconds >= 50, text);

        // The bench's wire stage varies as what the proxy applied varied (the machine's lateness included, which the
        // proxy measured): the mean |D| of the wire series matches the proxy's within 2.5 ms (the loopback hops on
        // either side of the proxy add their own wake-ups).
        double meanAbsD = 0;
        for (int i = 1; i < wire.Length; i++)
        {
            meanAbsD += Math.Abs(wire[i] - wire[i - 1]);
        }

        meanAbsD /= wire.Length - 1;
        Assert.True(Math.Abs(meanAbsD - applied.MeanAbsoluteDifferenceMilliseconds) <= 2.5, $"mean |D| of the wire {meanAbsD:0.###} ms\n{text}");

        // The reported figure is RFC 3550's J after the last packet: a running mean of |D| over ~16 packets, so it
        // scatters around the run's mean |D| (0.93 ms sd for these draws, simulated: docs/bench.md). 3.5 ms is 3.8 sd:
        // it still tells J from the mean delay (10 ms) and from twice the draws (13.3 ms), and from no jitter at all.
        Assert.InRange(report.WireJitterMilliseconds, meanAbsD - 3.5, meanAbsD + 3.5);
        Assert.InRange(report.WireJitterMilliseconds, ExpectedJitterMs - 3.5, ExpectedJitterMs + 3.5 + Math.Max(0, meanAbsD - ExpectedJitterMs));

        // The headline jitter (arrival against media time) is the path's plus the sender's own pacing: by the triangle
        // inequality, term by term, it lies within the sender's J (computed from its send stamps) of the wire's.
        double senderJitter = SenderJitterMs(report);
        Assert.InRange(report.JitterMilliseconds, report.WireJitterMilliseconds - senderJitter - 0.5, report.WireJitterMilliseconds + senderJitter + 0.5);
    }

    /// <summary>RFC 3550's J over the sender's own stages (capture to send stamp): the sender's pacing jitter.</summary>
    private static double SenderJitterMs(LatencyReport report)
    {
        var read = report.FrameSeries[LatencyStage.SourceRead];
        var encode = report.FrameSeries[LatencyStage.Encode];
        var queue = report.FrameSeries[LatencyStage.SendQueue];
        double j = 0;
        for (int i = 1; i < read.Length; i++)
        {
            double d = (read[i] + encode[i] + queue[i]) - (read[i - 1] + encode[i - 1] + queue[i - 1]);
            j += (Math.Abs(d) - j) / 16;
        }

        return j;
    }

    private static async Task<(LatencyReport Report, TcpProxy Proxy)> RunAsync(NetworkConditions conditions, int seconds)
    {
        TcpProxy? proxy = null;
        try
        {
            var report = await LatencyBench.RunAsync(
                new LatencyBenchOptions
                {
                    Codec = CodecRegistry.Default.Get("pcm"),
                    CodecOptions = new CodecOptions { FrameMilliseconds = 20 },
                    Duration = TimeSpan.FromSeconds(seconds),
                    Route = (server, _) =>
                    {
                        proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), server, conditions);
                        return ValueTask.FromResult(new HostPort("127.0.0.1", proxy.LocalEndPoint.Port));
                    },
                },
                CancellationToken.None);
            Assert.NotNull(proxy);

            // The proxy adds a connection's figures to its totals when the connection closes (the receiver hung up).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (proxy.ActiveConnections > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            return (report, proxy);
        }
        finally
        {
            // Disposing stops the listener; the figures read above stay readable.
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
        }
    }
}
