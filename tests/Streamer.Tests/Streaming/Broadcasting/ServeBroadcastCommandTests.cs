using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Broadcasting;

/// <summary><c>streamer serve --mode broadcast</c> as a user runs it: real processes over loopback.</summary>
public sealed class ServeBroadcastCommandTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task A_file_broadcast_plays_to_a_listener_and_its_end_ends_the_listener_and_the_server()
    {
        using var dir = new TempDirectory();
        string wav = dir.File("music.wav");
        WavFixture.Write(wav, Format, Format.SampleRate * 3);
        await using var server = CliProcess.Start(["serve", wav, "--mode", "broadcast", "--host", "127.0.0.1", "--port", "0"], dir.Path);
        string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains("broadcast", line, StringComparison.Ordinal);
        int port = int.Parse(line["Serving on port ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        string output = dir.File("out.wav");
        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", output, "-q"], TimeSpan.FromSeconds(60), dir.Path);

        Assert.True(play.ExitCode == 0, $"play exited {play.ExitCode}\n{play.Stderr}\nserver:\n{server.Stderr}");
        // Joined at the live edge of a 3 s broadcast: some of it, at most all of it, and whole frames of the source.
        long bytes = new FileInfo(output).Length;
        Assert.InRange(bytes, 44 + (960 * 4), 44 + (Format.SampleRate * 3 * 4) + 68);
        // The end of the file ends the broadcast: the server stops by itself.
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("--pace", "asap", "a broadcast goes at the audio clock")]
    [InlineData("--burst-ms", "20000", "--burst-ms")]
    public async Task Broadcast_settings_that_make_no_sense_are_bad_input(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        string wav = dir.File("music.wav");
        WavFixture.Write(wav, Format, Format.SampleRate / 10);

        var run = await CliProcess.RunAsync(["serve", wav, "--mode", "broadcast", option, value, "--host", "127.0.0.1", "--port", "0"], TimeSpan.FromSeconds(60), dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_mode_is_bad_input()
    {
        using var dir = new TempDirectory();
        string wav = dir.File("music.wav");
        WavFixture.Write(wav, Format, Format.SampleRate / 10);

        var run = await CliProcess.RunAsync(["serve", wav, "--mode", "radio", "--port", "0"], TimeSpan.FromSeconds(60), dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("radio", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("broadcast", run.Stderr, StringComparison.Ordinal);
    }
}
