using System.Net.Sockets;
using Streamer.Media;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;
using Streamer.Tests.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// A real audio server against peers that hold on to what they got: every session ends, and threads, descriptors
/// and CPU return to what they were (measured in /proc of the server process).
/// </summary>
public class ServerDeadlineTests
{
    private static readonly TimeSpan HangUp = TimeSpan.FromSeconds(60);

    private static async Task<(CliProcess Server, int Port, string Path)> StartAsync(TempDirectory dir, params string[] extra)
    {
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        string path = dir.File("in.wav");
        File.WriteAllBytes(path, WavFixture.Build(format, WavFixture.Samples(format, 8000)));
        var (server, port) = await ServerProcess.StartAsync(path, extra);
        return (server, port, path);
    }

    /// <summary>True when the server closed the connection (end of stream or reset) within <paramref name="timeout"/>.</summary>
    private static async Task<bool> ClosedByServerAsync(RawPeer peer, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await peer.Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("probe")]
    [InlineData("play")]
    public async Task The_ten_byte_lying_frame_ends_the_session_and_is_logged(string role)
    {
        using var dir = new TempDirectory();
        var (server, port, _) = await StartAsync(dir);
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync([.. RawPeer.Hello(role: role), .. LyingHeaderTests.ReportedFrame]);

            Assert.True(await ClosedByServerAsync(peer, HangUp), "the server kept the session open");
            await server.WaitForLineAsync(l => l.Contains("sent a malformed frame header", StringComparison.Ordinal));
            Assert.DoesNotContain("Exception", server.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Three_thousand_lying_sessions_leave_threads_and_cpu_at_baseline()
    {
        using var dir = new TempDirectory();
        var (server, port, _) = await StartAsync(dir, "-q");
        await using (server)
        {
            // Warm up (thread pool, JIT) with a few good probes first, so the baseline is a served server's.
            for (int i = 0; i < 3; i++)
            {
                using var warm = await RawPeer.ConnectAsync(port);
                await warm.SendAsync([.. RawPeer.Hello(role: "probe"), .. LyingHeaderTests.ReportedFrame]);
                await ClosedByServerAsync(warm, HangUp);
            }

            await Task.Delay(2000);
            int baselineThreads = ProcessStats.Threads(server.Id);
            long cpuBefore = ProcessStats.CpuTicks(server.Id);
            await Task.Delay(3000);
            long baselineCpu = ProcessStats.CpuTicks(server.Id) - cpuBefore;

            int closed = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 3000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            {
                using var peer = await RawPeer.ConnectAsync(port);
                await peer.SendAsync([.. RawPeer.Hello(role: "probe"), .. LyingHeaderTests.ReportedFrame]);
                if (await ClosedByServerAsync(peer, HangUp))
                {
                    Interlocked.Increment(ref closed);
                }
            });
            Assert.Equal(3000, closed);

            // Threads return to the baseline (a few of slack for the thread pool's own comings and goings)...
            int threads = await ProcessStats.SettleAsync(() => ProcessStats.Threads(server.Id), baselineThreads + 2, TimeSpan.FromSeconds(60));
            Assert.True(threads <= baselineThreads + 2, $"{threads} threads after the attack, {baselineThreads} before");

            // ... and the idle server is idle again: no timers left ticking for dead sessions. A loose bound, in CPU
            // time the server used (not wall time): 8-10 % of a core before the fix, about nothing after.
            await Task.Delay(2000);
            cpuBefore = ProcessStats.CpuTicks(server.Id);
            await Task.Delay(3000);
            long idleCpu = ProcessStats.CpuTicks(server.Id) - cpuBefore;
            Assert.True(idleCpu <= baselineCpu + 6, $"idle server used {idleCpu} ticks in 3 s after the attack, {baselineCpu} before");
        }
    }

    [Fact]
    public async Task Silent_probe_sessions_are_closed_and_listeners_get_in_again()
    {
        using var dir = new TempDirectory();
        var (server, port, _) = await StartAsync(dir, "--pace", "asap");
        await using (server)
        {
            var probes = new List<RawPeer>();
            try
            {
                // As many as the server takes: without an idle deadline they would lock every listener out for good.
                for (int i = 0; i < 64; i++)
                {
                    var peer = await RawPeer.ConnectAsync(port);
                    probes.Add(peer);
                    await peer.SendAsync(RawPeer.Hello(role: "probe"));
                }

                var closing = probes.Select(p => ClosedByServerAsync(p, HangUp)).ToArray();
                bool[] closed = await Task.WhenAll(closing);
                Assert.All(closed, Assert.True);
                Assert.Contains("a probe that sent nothing for 15 s", server.Stderr, StringComparison.Ordinal);

                var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
                Assert.True(code == 0, stderr);
            }
            finally
            {
                probes.ForEach(p => p.Dispose());
            }
        }
    }

    [Fact]
    public async Task A_peer_trickling_a_frame_is_dropped()
    {
        using var dir = new TempDirectory();
        var (server, port, _) = await StartAsync(dir);
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync(RawPeer.Hello(role: "probe"));
            byte[] ping = RawPeer.Frame(new PongMessage(0, 0));
            var trickle = Task.Run(async () =>
            {
                // A byte a second, forever (the frame never completes): the server must not wait for it.
                try
                {
                    for (int i = 0; ; i = (i + 1) % ping.Length)
                    {
                        await peer.Stream.WriteAsync(ping.AsMemory(i, 1));
                        await Task.Delay(1000);
                    }
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                {
                }
            });

            Assert.True(await ClosedByServerAsync(peer, HangUp), "the trickling peer kept its connection");
            await server.WaitForLineAsync(l => l.Contains("slower than the minimum", StringComparison.Ordinal));
            peer.Dispose();
            await trickle.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Clients_that_reset_right_after_their_hello_leave_no_file_open()
    {
        using var dir = new TempDirectory();
        var (server, port, path) = await StartAsync(dir, "-q");
        await using (server)
        {
            // Warm up first: the first sessions load assemblies, each an open descriptor, and that is no leak.
            await ResetRightAfterHelloAsync(port, 50);
            await Task.Delay(2000);
            int before = ProcessStats.DescriptorsTo(server.Id, "in.wav");
            int baseline = ProcessStats.Descriptors(server.Id);
            await ResetRightAfterHelloAsync(port, 500);

            int wavHandles = await ProcessStats.SettleAsync(() => ProcessStats.DescriptorsTo(server.Id, "in.wav"), before, TimeSpan.FromSeconds(30));
            Assert.True(wavHandles <= before, $"{wavHandles} handles to {path} after 500 reset clients, {before} before");
            int all = await ProcessStats.SettleAsync(() => ProcessStats.Descriptors(server.Id), baseline + 2, TimeSpan.FromSeconds(30));
            Assert.True(all <= baseline + 2, $"{all} descriptors after 500 reset clients, {baseline} before");
        }
    }

    private static async Task ResetRightAfterHelloAsync(int port, int clients)
    {
        for (int i = 0; i < clients; i++)
        {
            RawPeer? peer = null;
            try
            {
                peer = await RawPeer.ConnectAsync(port);
                await peer.SendAsync(RawPeer.Hello());
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                // Refused (server full) before the hello went out: a client all the same.
            }

            peer?.Reset();
        }
    }
}
