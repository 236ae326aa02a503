using System.Buffers;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary><c>play --stall-timeout</c>: a server that stops sending mid-stream ends playback, exit 1, file finalized.</summary>
public class StallTimeoutTests
{
    private static byte[] Audio(uint sequence, byte[] payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, sequence, sequence * 960UL, WallClock.NowMicroseconds()), payload);
        return frame.WrittenSpan.ToArray();
    }

    /// <summary>Hello, stream info and three frames of audio, then silence on an open connection.</summary>
    private static byte[] StreamThatStops()
    {
        var info = new StreamInfoMessage("pcm", 48000, 2, "s16le", 960, 0, -1, new Dictionary<string, string>());
        byte[] audio = Enumerable.Range(0, 3840).Select(i => (byte)i).ToArray();
        return [
            .. RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, "server", "fake", ["pcm"])),
            .. RawPeer.Frame(info), .. Audio(0, audio), .. Audio(1, audio), .. Audio(2, audio)];
    }

    [Fact]
    public async Task A_server_that_stops_sending_ends_play_with_exit_1_and_a_valid_wav()
    {
        using var dir = new TempDirectory();
        await using var fake = new ScriptedServer(StreamThatStops());
        string output = dir.File("out.wav");
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", output, "-q", "--stall-timeout", "1s"], TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: no audio for 1 s", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        byte[] wav = File.ReadAllBytes(output);
        Assert.Equal(3 * 3840, WavFixture.HeaderOf(wav).DataLength);
        Assert.Equal(3 * 3840, WavFixture.DataOf(wav).Length);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    public async Task A_bad_stall_timeout_is_bad_input(string value)
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:1", "--output", dir.File("out.wav"), "--stall-timeout", value]);

        Assert.Equal(2, code);
        Assert.Contains("--stall-timeout", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("0")]
    [InlineData("500ms")]
    public async Task Stall_timeouts_people_type_are_accepted(string value)
    {
        using var dir = new TempDirectory();
        // Nothing listens on port 1: the command runs (exit 1, connection refused) rather than failing to parse (2).
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:1", "--output", dir.File("out.wav"), "--stall-timeout", value]);

        Assert.True(code == 1, stderr);
    }
}
