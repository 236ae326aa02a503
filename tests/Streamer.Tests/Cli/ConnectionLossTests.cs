using System.Net.Sockets;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>When a stream ends early — the server vanishes, the user presses Ctrl+C — nothing received is lost.</summary>
public class ConnectionLossTests
{
    private static async Task<(byte[] Samples, CliProcess Server, int Port)> StartRealtimeServerAsync(TempDirectory dir, params string[] extra)
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 48000 * 20);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, samples));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), extra);
        return (samples, server, port);
    }

    private static async Task WaitForAudioAsync(string path, long bytes)
    {
        // The writer patches the header about once a second, so a growing file means audio is flowing.
        for (int i = 0; i < 300 && (!File.Exists(path) || new FileInfo(path).Length < bytes); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(path) && new FileInfo(path).Length >= bytes, "no audio arrived");
    }

    private static void AssertValidPrefix(string path, byte[] samples)
    {
        byte[] received = WavFixture.DataOf(File.ReadAllBytes(path));
        Assert.True(received.Length > 0, "no audio was kept");
        Assert.Equal(received.Length, WavFixture.HeaderOf(File.ReadAllBytes(path)).DataLength);
        Assert.Equal(samples.AsSpan(0, received.Length).ToArray(), received);
        if (ExternalTool.Exists("sox"))
        {
            var info = ExternalTool.Run("sox", "--i", "-s", path);
            Assert.True(info.ExitCode == 0, info.Stderr);
            Assert.Equal(received.Length / 4, long.Parse(info.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Server_vanishing_mid_stream_exits_1_and_keeps_a_valid_wav()
    {
        using var dir = new TempDirectory();
        var (samples, server, port) = await StartRealtimeServerAsync(dir);
        string output = dir.File("out.wav");
        await using var client = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);
        await WaitForAudioAsync(output, 48000 * 4);

        await server.DisposeAsync();
        int code = await client.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, code);
        Assert.Contains("streamer: error: the server closed the connection mid-stream", client.Stderr);
        AssertValidPrefix(output, samples);
    }

    [Fact]
    public async Task Ctrl_c_exits_130_and_finalizes_the_wav()
    {
        using var dir = new TempDirectory();
        var (samples, server, port) = await StartRealtimeServerAsync(dir);
        await using (server)
        {
            string output = dir.File("out.wav");
            await using var client = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);
            await WaitForAudioAsync(output, 48000 * 4);

            client.Interrupt();
            int code = await client.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(130, code);
            // Said by our handler: the process was not simply killed by the signal.
            Assert.Contains("streamer: interrupted", client.Stderr);
            AssertValidPrefix(output, samples);
        }
    }

    [Fact]
    public async Task A_client_that_reads_too_slowly_sheds_frames_without_stalling_the_others()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 48000 * 4);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, samples));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "-v");
        await using (server)
        {
            using var slow = new RawPeer();
            slow.Socket.ReceiveBufferSize = 4096;
            await slow.Socket.ConnectAsync("127.0.0.1", port);
            await slow.Socket.SendAsync(RawPeer.Hello(), SocketFlags.None);
            using var stopReading = new CancellationTokenSource();
            // 4 KiB every 50 ms is 80 KB/s: well under the stream's 192 KB/s.
            var trickle = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                while (!stopReading.IsCancellationRequested)
                {
                    await Task.Delay(50);
                    if (await slow.Socket.ReceiveAsync(buffer, SocketFlags.None) == 0)
                    {
                        break;
                    }
                }
            });

            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);

            Assert.True(code == 0, stderr);
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
            // The slow session fell behind the audio clock and shed frames instead of queueing them.
            await server.WaitForLineAsync(l => l.Contains("frames to catch up", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            await stopReading.CancelAsync();
            slow.Socket.Close();
            await trickle.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task Ctrl_c_stops_a_server_with_a_client_attached_promptly_and_cleanly()
    {
        using var dir = new TempDirectory();
        var (_, server, port) = await StartRealtimeServerAsync(dir);
        await using (server)
        {
            string output = dir.File("out.wav");
            await using var client = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);
            await WaitForAudioAsync(output, 48000 * 4);

            server.Interrupt();
            // Well under the 5 s after which the runtime would stop waiting for the command.
            int code = await server.WaitForExitAsync(TimeSpan.FromSeconds(4));

            Assert.Equal(0, code);
            Assert.Equal(1, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task A_looping_stream_is_not_cut_to_one_pass()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 4800);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, samples));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--loop", "--pace", "asap");
        await using (server)
        {
            string output = dir.File("out.wav");
            await using var client = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);
            await WaitForAudioAsync(output, samples.Length * 5L);
            client.Interrupt();
            Assert.Equal(130, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            byte[] received = WavFixture.DataOf(File.ReadAllBytes(output));
            Assert.True(received.Length >= samples.Length * 5, $"only {received.Length} bytes");
            for (int pass = 0; pass < 5; pass++)
            {
                Assert.Equal(samples, received.AsSpan(pass * samples.Length, samples.Length).ToArray());
            }
        }
    }

    [Fact]
    public async Task An_output_that_cannot_be_written_ends_play_with_one_line_instead_of_hanging()
    {
        using var dir = new TempDirectory();
        var (_, server, port) = await StartRealtimeServerAsync(dir, "--pace", "asap");
        await using (server)
        {
            string full = dir.File("full.wav");
            File.CreateSymbolicLink(full, "/dev/full");

            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", full, "-q"], TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            Assert.Contains("No space left on device", stderr);
            Assert.Contains("full.wav", stderr);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", stderr);
        }
    }

    [Fact]
    public async Task Raw_output_to_a_pipe_whose_reader_left_ends_play_with_one_line()
    {
        using var dir = new TempDirectory();
        var (_, server, port) = await StartRealtimeServerAsync(dir);
        await using (server)
        {
            // A 20 s live stream: without noticing the closed pipe, play would run to its end.
            string script = $"{CliProcess.ShellCommand} play 127.0.0.1:{port} --output - -q 2>'{dir.File("err.txt")}' | head -c 1000 >/dev/null; exit ${{PIPESTATUS[0]}}";
            var (code, _, _) = await ShellAsync(script, TimeSpan.FromSeconds(15));

            Assert.Equal(1, code);
            string stderr = File.ReadAllText(dir.File("err.txt"));
            Assert.Contains("standard output (raw PCM): Broken pipe", stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ShellAsync(string script, TimeSpan timeout)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"still running after {timeout.TotalSeconds} s: {script}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
