using System.Diagnostics;
using System.Globalization;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// <c>streamer play --output x.wav</c> killed with SIGKILL mid-stream (no chance to finalize) still leaves a WAV
/// that sox reads, whose header counts exactly the audio on disk, and that audio is the stream's start.
/// </summary>
public sealed class KilledPlayWavTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2, SampleEncoding.Int16);

    [LinuxFact("kill -9 and sox's soxi are what it is checked with")]
    public async Task A_wav_output_is_valid_and_complete_up_to_the_kill()
    {
        Assert.True(ExternalTool.Exists("soxi") && ExternalTool.Exists("sox"), "this test checks the file with sox: apt-get install sox");
        using var dir = new TempDirectory();
        byte[] source = WavFixture.Write(dir.File("in.wav"), Stereo48k, 48000 * 20);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using var _ = server;
        string output = dir.File("out.wav");
        await using var play = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);

        // Some seconds of a real-time stream, then SIGKILL: nothing of ours runs after it.
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(output) || new FileInfo(output).Length < 48000 * 4 * 2)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"play wrote too little: {play.Stderr}");
            await Task.Delay(50);
        }

        // Off any second boundary: a writer that fixes its header only now and then is caught between two fixes.
        await Task.Delay(700);

        using (var kill = Process.Start("kill", ["-KILL", play.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.Equal(137, await play.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        byte[] wav = File.ReadAllBytes(output);
        var header = WavFixture.HeaderOf(wav);
        Assert.Equal(wav.Length - header.DataOffset, header.DataLength);
        var (code, samples, error) = ExternalTool.Run("soxi", "-s", output);
        Assert.True(code == 0, error);
        Assert.Equal(header.DataLength / 4, long.Parse(samples.Trim(), CultureInfo.InvariantCulture));
        var (soxCode, _, soxError) = ExternalTool.Run("sox", "-V2", output, "-n", "stat");
        Assert.True(soxCode == 0, soxError);
        Assert.DoesNotContain("premature", soxError, StringComparison.OrdinalIgnoreCase);
        // What reached the disk is the stream from its start (pcm: bit-exact).
        Assert.True(header.DataLength >= 48000 * 4, $"only {header.DataLength} bytes of audio");
        Assert.True(source.AsSpan(0, (int)header.DataLength).SequenceEqual(wav.AsSpan((int)header.DataOffset)), "the audio on disk differs from the source");
    }
}
