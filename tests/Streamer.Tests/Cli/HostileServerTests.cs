using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>A client facing a broken or hostile server: one line, exit 1, bounded work, a valid output file.</summary>
public class HostileServerTests
{
    private static byte[] Audio(uint sequence, byte[] payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, sequence, sequence * 960UL, WallClock.NowMicroseconds()), payload);
        return frame.WrittenSpan.ToArray();
    }

    private static StreamInfoMessage Info(string codec = "pcm", int frameSamples = 960, int rate = 48000)
        => new(codec, rate, 2, "s16le", frameSamples, 0, -1, new Dictionary<string, string>());

    /// <summary>Accepts one client, answers its hello, sends <paramref name="frames"/>, then waits for it to hang up.</summary>
    private static async Task<int> ServeOnceAsync(TcpListener listener, StreamInfoMessage info, IEnumerable<byte[]> frames)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var hello = new byte[4096];
        _ = await stream.ReadAsync(hello);
        await stream.WriteAsync(RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, "server", "fake", ["pcm"])));
        await stream.WriteAsync(RawPeer.Frame(info));
        foreach (byte[] frame in frames)
        {
            await stream.WriteAsync(frame);
        }

        var sink = new byte[4096];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await stream.ReadAsync(sink, timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }

        return 0;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> PlayAgainstAsync(StreamInfoMessage info, IEnumerable<byte[]> frames, string output)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeOnceAsync(listener, info, frames);
        var result = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", output, "-q"], TimeSpan.FromSeconds(60));
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
        return result;
    }

    [Fact]
    public async Task A_huge_sequence_jump_is_concealed_only_up_to_a_bound()
    {
        using var dir = new TempDirectory();
        byte[] audio = new byte[3840];
        var (code, _, stderr) = await PlayAgainstAsync(Info(), [Audio(0, audio), Audio(4_000_000_000, audio)], dir.File("out.wav"));

        // The fake server never ends the stream properly: the client reports the lost connection.
        Assert.Equal(1, code);
        Assert.Contains("streamer: error:", stderr);
        long samples = WavFixture.HeaderOf(File.ReadAllBytes(dir.File("out.wav"))).DataLength / 4;
        Assert.InRange(samples, 2 * 960, 48000 * 6);
    }

    [Fact]
    public async Task An_audio_frame_larger_than_the_stream_allows_is_refused_in_one_line()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await PlayAgainstAsync(Info(), [Audio(0, new byte[1_000_000])], dir.File("out.wav"));

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: the server sent an audio frame of 1000000 bytes", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Frames_longer_than_a_second_are_refused()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await PlayAgainstAsync(Info(frameSamples: 100_000, rate: 1000), [], dir.File("out.wav"));

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: stream info is out of range", stderr);
    }

    [Fact]
    public async Task A_codec_this_build_cannot_decode_is_the_servers_fault()
    {
        using var dir = new TempDirectory();
        var (code, _, stderr) = await PlayAgainstAsync(Info(codec: "mp3000"), [], dir.File("out.wav"));

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: cannot decode the server's stream: unknown codec 'mp3000'", stderr);
    }
}
