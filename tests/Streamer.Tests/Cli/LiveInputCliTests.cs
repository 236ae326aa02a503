using System.Text.RegularExpressions;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// <c>serve -</c>, a FIFO and <c>device</c> through the real binary: standard input to a player bit-exact (PCM
/// codec), and bad input as one line with its exit code.
/// </summary>
public sealed partial class LiveInputCliTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Standard_input_reaches_a_player_bit_exact(bool raw)
    {
        using var dir = new TempDirectory();
        byte[] samples = WavFixture.Samples(Format, 24000);
        byte[] input = raw ? samples : WavFixture.Build(Format, samples, declaredDataSize: 0xFFFFFFFF);
        string[] args = raw ? ["serve", "-", "--format", "s16le", "--rate", "48000", "--channels", "2"] : ["serve", "-"];
        await using var server = CliProcess.Start([.. args, "--host", "127.0.0.1", "--port", "0"], dir.Path, redirectStdin: true);
        // A live input is one broadcast that listeners join at its live edge: the header goes first (the server reads
        // it before listening), the audio only once the player has joined the broadcast, so the player hears all of it.
        // The player knows it has joined when it is told the input is stalled (no audio yet for over a second).
        int headerLength = input.Length - samples.Length;
        await server.Stdin.BaseStream.WriteAsync(input.AsMemory(0, headerLength));
        await server.Stdin.BaseStream.FlushAsync();
        string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        int port = int.Parse(PortNumber().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        await using var player = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"], dir.Path);
        await player.WaitForLineAsync(l => l.Contains("input stalled", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await server.Stdin.BaseStream.WriteAsync(input.AsMemory(headerLength));
        server.Stdin.Close();
        var play = (ExitCode: await player.WaitForExitAsync(TimeSpan.FromSeconds(60)), player.Stderr);

        Assert.True(play.ExitCode == 0, $"exit {play.ExitCode}\n{play.Stderr}\nserver:\n{server.Stderr}");
        Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
    }

    [Theory]
    [InlineData("hello, this is not a wav file at all", "stdin: not a RIFF/WAVE file (no RIFF signature); for raw PCM give --format")]
    [InlineData("RIFF", "stdin: file is empty or shorter than a RIFF header")]
    [InlineData("RIFF\u0024\0\0\0WAVEfmt \u0010\0\0\0\u0001\0", "stdin: truncated fmt chunk")]
    public async Task Standard_input_that_is_not_wav_or_ends_in_the_header_is_one_line_and_exit_2(string text, string message)
    {
        await using var server = CliProcess.Start(["serve", "-", "--port", "0"], redirectStdin: true);
        await server.Stdin.BaseStream.WriteAsync(System.Text.Encoding.Latin1.GetBytes(text));
        server.Stdin.Close();

        Assert.Equal(2, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        AssertOneLineError(server.Stderr, message);
        Assert.DoesNotContain("Serving", server.Stdout);
    }

    [Fact]
    public async Task A_fifo_path_that_does_not_exist_is_one_line_and_exit_2()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["serve", "/tmp/streamer-no-such-dir-7f3a/mpd.fifo", "--port", "0"]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, "/tmp/streamer-no-such-dir-7f3a/mpd.fifo: no such directory (for a FIFO, create it first: mkfifo");
    }

    [LinuxFact("ALSA's configuration")]
    public async Task A_missing_capture_device_is_one_line_and_exit_1()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("asound.conf"), "pcm.!default { type hw; card 57 }\n");
        var environment = new Dictionary<string, string?> { ["ALSA_CONFIG_PATH"] = dir.File("asound.conf") };

        var none = await CliProcess.RunAsync(["serve", "device", "--port", "0"], TimeSpan.FromSeconds(30), environment: environment);
        Assert.Equal(1, none.ExitCode);
        AssertOneLineError(none.Stderr, "device: no audio input device found");

        File.WriteAllText(dir.File("asound.conf"), "pcm.!default { type null }\n");
        var named = await CliProcess.RunAsync(["serve", "device", "--device", "studio-mic", "--port", "0"], TimeSpan.FromSeconds(30), environment: environment);
        Assert.Equal(1, named.ExitCode);
        AssertOneLineError(named.Stderr, "device: --device 'studio-mic': no input device by that name; inputs: 0 'default'");
    }

    [Theory]
    [InlineData(new[] { "serve", "tone", "--format", "s16le" }, "--format is not for 'tone'")]
    [InlineData(new[] { "serve", "-", "--seconds", "3" }, "--seconds is for 'tone', not stdin")]
    [InlineData(new[] { "serve", "-", "--format", "mp3" }, "--format: 'mp3' is not a raw PCM layout")]
    [InlineData(new[] { "serve", "-", "--fifo-gap", "noise" }, "--fifo-gap: 'noise' is not a gap mode")]
    public async Task Options_that_do_not_fit_the_input_are_exit_2(string[] args, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync([.. args, "--port", "0"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    private static void AssertOneLineError(string stderr, string mustContain)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + stderr);
        Assert.StartsWith("streamer: error: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("Exception", stderr);
    }

    [GeneratedRegex(@"Serving on port (\d+)")]
    private static partial Regex PortNumber();
}
