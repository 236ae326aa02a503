using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Outputs;
using Streamer.Media.Sources;
using Streamer.Streaming;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;
using Streamer.Transport;
using Streamer.Transport.Memory;

namespace Streamer.Tests.Streaming.Send;

/// <summary>
/// Whole sessions in one process with no socket: the real <see cref="StreamServer"/> (its <c>ConnectionHost</c>,
/// handshake and <see cref="ServerSession"/>) and the real <see cref="StreamClient"/> over the memory transport.
/// </summary>
public sealed class MemorySessionTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pcm_stream_arrives_bit_exact_over_the_memory_transport(bool delayFrames)
    {
        byte[] samples = CodecTestAudio.TwoTone(1);
        using var temp = new TempDirectory();
        string path = temp.File("out.wav");
        // Delays (seeded, up to 3 ms a frame) change when frames arrive, never what arrives.
        var policy = new LossPolicy(maxDelay: delayFrames ? TimeSpan.FromMilliseconds(3) : TimeSpan.Zero, seed: 7);
        await using var transport = new MemoryTransport();

        var stream = await PlayAsync(new LossyListener(transport, policy), transport, samples, path);

        Assert.True(stream.Ended);
        Assert.Equal(0, stream.Stats.Lost);
        var received = await PcmClip.LoadAsync(path, CancellationToken.None);
        Assert.Equal(samples, received.Samples);
    }

    [Fact]
    public async Task Seeded_random_loss_is_concealed_and_counted()
    {
        byte[] samples = CodecTestAudio.TwoTone(2);
        using var temp = new TempDirectory();
        string path = temp.File("out.wav");
        var policy = new LossPolicy(lossRate: 0.1, seed: 42);
        await using var transport = new MemoryTransport();

        var stream = await PlayAsync(new LossyListener(transport, policy), transport, samples, path);

        Assert.NotEmpty(policy.Dropped);
        Assert.Equal(policy.Dropped.Count, stream.Stats.Lost);
        var received = await PcmClip.LoadAsync(path, CancellationToken.None);
        Assert.Equal(samples.Length, received.Samples.Length);
        int frameBytes = 960 * 4;
        for (int frame = 0; frame < samples.Length / frameBytes; frame++)
        {
            var expected = policy.Dropped.Contains((uint)frame) ? new byte[frameBytes] : samples.AsSpan(frame * frameBytes, frameBytes);
            Assert.True(expected.SequenceEqual(received.Samples.AsSpan(frame * frameBytes, frameBytes)), $"frame {frame}");
        }
    }

    private static async Task<ReceivedStream> PlayAsync(IConnectionListener listener, IConnectionFactory connector, byte[] samples, string outputPath)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var factory = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(CodecTestAudio.Wav(Stereo48, samples)), "test", ct), CodecRegistry.Default.Get("pcm"), new CodecOptions());
        await using var server = new StreamServer(listener, factory, new StreamServerOptions { Pacing = PacingMode.Asap }, NullLoggerFactory.Instance);
        using var stopServer = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var serving = server.RunAsync(stopServer.Token);
        var client = new StreamClient(new StreamClientOptions { CreateSink = chain => chain.Decode(new WavFileOutput(outputPath)), Connector = connector }, NullLogger.Instance);
        var stream = new ReceivedStream();
        await client.RunAsync(new HostPort("memory", 0), stream, timeout.Token);
        await stopServer.CancelAsync();
        await serving;
        return stream;
    }
}
