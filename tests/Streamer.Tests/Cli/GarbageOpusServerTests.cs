using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Tests.Codecs.Opus;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// A server that mixes garbage into an Opus stream: the real <c>streamer play</c> conceals each bad packet like a
/// lost one, plays to the end and leaves a WAV of the full length (once, opus-native died on the first one).
/// </summary>
public sealed class GarbageOpusServerTests
{
    private const int Frames = 150;
    private const int FrameSamples = 960;
    private const int PreSkip = 312;

    [Theory]
    [InlineData("opus")]
    [InlineData("opus-native")]
    public async Task Play_conceals_garbage_packets_and_writes_a_wav_of_the_full_length(string codecName)
    {
        if (codecName == OpusCodec.NativeName)
        {
            OpusNative.Require();
        }

        Assert.True(ExternalTool.Exists("soxi"), "this test reads the WAV with soxi: apt-get install sox");
        using var dir = new TempDirectory();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeAsync(listener, codecName, Packets(codecName));

        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"], TimeSpan.FromSeconds(90));
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        var (soxCode, samples, soxError) = ExternalTool.Run("soxi", "-s", dir.File("out.wav"));
        Assert.True(soxCode == 0, soxError);
        // Every frame, good or concealed, is there: the stream went on in time.
        Assert.Equal((Frames * FrameSamples) - PreSkip, long.Parse(samples.Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>Real packets with, every third frame, one Opus must reject (RFC 6716 §3.2 and §3.4).</summary>
    private static List<byte[]> Packets(string codecName)
    {
        using var encoder = CodecRegistry.Default.Get(codecName).CreateEncoder(new AudioFormat(48000, 2, SampleEncoding.Int16), new CodecOptions());
        byte[] pcm = CodecTestAudio.TwoTone(Frames * FrameSamples / 48000.0);
        var random = new Random(15);
        var packet = new byte[encoder.MaxPacketBytes];
        var packets = new List<byte[]>();
        for (int i = 0; i < Frames; i++)
        {
            int length = encoder.Encode(pcm.AsSpan(i * FrameSamples * 4, FrameSamples * 4), packet);
            byte[] garbage = (i / 3 % 5) switch
            {
                0 => [],
                1 => [0x03, 0x00, .. Bytes(random, random.Next(0, 200))], // code 3 claiming zero frames
                2 => [0x01, .. Bytes(random, (2 * random.Next(0, 100)) + 1)], // code 1: two equal frames of an odd total
                3 => [0x02, 0xFB, .. Bytes(random, random.Next(0, 250))], // code 2: first frame longer than the packet
                _ => [0x00, .. Bytes(random, 1276 + random.Next(0, 500))], // code 0: over 1275 bytes
            };
            packets.Add(i % 3 == 1 ? garbage : packet[..length]);
        }

        return packets;
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task ServeAsync(TcpListener listener, string codecName, List<byte[]> packets)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        _ = await stream.ReadAsync(new byte[4096]);
        await stream.WriteAsync(RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, "server", "garbage", [codecName])));
        var parameters = new Dictionary<string, string> { ["pre-skip"] = PreSkip.ToString(CultureInfo.InvariantCulture) };
        await stream.WriteAsync(RawPeer.Frame(new StreamInfoMessage(codecName, 48000, 2, "s16le", FrameSamples, 0, -1, parameters)));
        for (int i = 0; i < packets.Count; i++)
        {
            var frame = new ArrayBufferWriter<byte>();
            FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, (uint)i, (ulong)i * FrameSamples, WallClock.NowMicroseconds()), packets[i]);
            await stream.WriteAsync(frame.WrittenMemory);
        }

        await stream.WriteAsync(RawPeer.Frame(new EndOfStreamMessage(Frames, Frames * FrameSamples)));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await stream.ReadAsync(new byte[4096], timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
    }
}
