using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>
/// Descriptors of a real <c>streamer serve</c>: thousands of dropped connections leave none behind, and running out
/// of them is survived (Linux: /proc and prlimit).
/// </summary>
public class DescriptorTests
{
    [Fact]
    public async Task Five_thousand_dropped_connections_leave_no_descriptor_behind()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Write(dir.File("in.wav"), format, 800);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            byte[] garbage = new byte[64];
            new Random(5).NextBytes(garbage);

            // Warm up (thread pool, pacing clock, epoll, and the assemblies each kind of drop first loads: the runtime
            // keeps a descriptor per loaded assembly) so the baseline is the steady state.
            await PlayBitExactAsync(port, dir, samples);
            await DropManyAsync(port, 200, garbage);
            int baseline = await SettledDescriptorsAsync(server.Id);

            await DropManyAsync(port, 5000, garbage);
            int after = await WaitForHeldDescriptorsAsync(server.Id, baseline);

            Assert.True(after <= baseline, $"the server holds {after} descriptors after 5000 dropped connections, {baseline} before:\n{Descriptors(server.Id)}");
            await PlayBitExactAsync(port, dir, samples);
        }
    }

    /// <summary>Opens and drops <paramref name="count"/> connections, a quarter each of idle, half-hello, hello-then-reset and garbage.</summary>
    private static async Task DropManyAsync(int port, int count, byte[] garbage)
    {
        using var gate = new SemaphoreSlim(16);
        var drops = new List<Task>();
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            int kind = i % 4;
            drops.Add(Task.Run(async () =>
            {
                try
                {
                    await DropOneAsync(port, kind, garbage);
                }
                catch (SocketException)
                {
                    // The server hung up on a hostile peer first: that is the point.
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(drops);
    }

    [Fact]
    public async Task Running_out_of_descriptors_pauses_new_clients_and_keeps_serving_the_others()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Write(dir.File("in.wav"), format, 8000 * 4);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            await PlayBitExactAsync(port, dir, WavFixture.DataOf(File.ReadAllBytes(dir.File("in.wav"))));
            int baseline = await SettledDescriptorsAsync(server.Id);
            // Room for the runtime and a dozen clients (a socket and the WAV file each), not for the flood.
            int limit = ProcessStats.Descriptors(server.Id) + 30;
            await RunAsync("prlimit", "--pid", server.Id.ToString(CultureInfo.InvariantCulture), $"--nofile={limit}:{limit}");

            var playing = CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("during.wav"), "-q"]);
            await WaitForAsync(() => Count(server.Stderr, "connected (play, streamer/") >= 2);
            using (var flood = new HostileSockets())
            {
                await flood.OpenManyAsync(port, 200, i => HostileSockets.OtherHost(i, 16), RawPeer.Hello());
                await server.WaitForLineAsync(l => l.Contains("Cannot accept connections", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

                var (code, _, stderr) = await playing;
                Assert.True(code == 0, stderr + "\nserver:\n" + server.Stderr);
                Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("during.wav"))));
            }

            // The flood is gone: descriptors free up, and a newcomer is served again.
            int after = await WaitForHeldDescriptorsAsync(server.Id, baseline);
            Assert.True(after <= baseline, $"the server holds {after} descriptors after the flood, {baseline} before:\n{Descriptors(server.Id)}");
            var last = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
            Assert.True(last.ExitCode == 0, last.Stderr + "\nserver:\n" + server.Stderr);
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
            Assert.Contains("Accepting connections again", server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", server.Stderr, StringComparison.Ordinal);

            // The host refuses newcomers before the kernel says no: no session fails to open its file, the runtime
            // never starves ("Out of memory."), and nothing logs a stack trace.
            Assert.DoesNotContain("Too many open files", server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Out of memory", server.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", server.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>One hostile connection: idle, half a hello, a hello then a reset, or garbage; then gone.</summary>
    private static async Task DropOneAsync(int port, int kind, byte[] garbage)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        switch (kind)
        {
            case 1:
                await socket.SendAsync(HostileSockets.HalfHello, SocketFlags.None);
                break;
            case 2:
                await socket.SendAsync(RawPeer.Hello(), SocketFlags.None);
                break;
            case 3:
                await socket.SendAsync(garbage, SocketFlags.None);
                break;
        }

        socket.LingerState = new LingerOption(true, 0);
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }

    private static async Task<int> SettledDescriptorsAsync(int pid)
    {
        // Whatever the warm-up left closing (its session's socket, the file) must be gone first.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return HeldDescriptors(pid);
    }

    /// <summary>
    /// Open descriptors that a connection or a session could leave behind (sockets, pipes, the served file), leaving
    /// out the runtime's own assembly and symbol files: it opens a module's .dll/.pdb once, the first time something
    /// needs it (a stack trace rendered under descriptor pressure loads the .pdb files), and keeps it for good.
    /// </summary>
    private static int HeldDescriptors(int pid)
    {
        int count = 0;
        foreach (string fd in Directory.GetFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }

            if (target is null || !(target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".pdb", StringComparison.Ordinal)))
            {
                count++;
            }
        }

        return count;
    }

    private static Task<int> WaitForHeldDescriptorsAsync(int pid, int limit)
        => ProcessStats.SettleAsync(() => HeldDescriptors(pid), limit, TimeSpan.FromSeconds(30));

    private static string Descriptors(int pid)
        => string.Join('\n', Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).GroupBy(t => t).Select(g => $"{g.Count()} × {g.Key}"));

    private static async Task PlayBitExactAsync(int port, TempDirectory dir, byte[] samples)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{tool} did not start");
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {stderr}");
    }
}
