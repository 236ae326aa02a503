using Streamer.Media.Sources;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

public class DemoTests
{
    [Fact]
    public async Task Demo_streams_the_test_signal_and_writes_it_intact()
    {
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = await CliProcess.RunAsync(["demo", "--seconds", "1", "--output", dir.File("demo.wav")], workingDirectory: dir.Path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Serving a 1 s two-tone test signal", stdout);
        Assert.Contains("0 lost", stdout);
        Assert.Contains("0 underruns", stdout);
        byte[] expected = WavFixture.DataOf(TestSignal.CreateWav(1));
        Assert.Equal(expected, WavFixture.DataOf(File.ReadAllBytes(dir.File("demo.wav"))));
    }

    [Fact]
    public async Task Demo_rejects_a_nonsense_length()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["demo", "--seconds", "-3"]);

        Assert.Equal(2, code);
        Assert.StartsWith("streamer: error: --seconds", stderr);
    }
}
