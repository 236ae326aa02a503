using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Media.Outputs;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;
using Streamer.Transport;
using Streamer.Transport.Memory;

namespace Streamer.Tests.Streaming.Receive;

/// <summary>
/// The real server, its frames passing a decorator that leaves out chosen ones, played by the real client into a WAV
/// file over the memory transport: the output must keep the source's exact length, with the gaps concealed and counted.
/// </summary>
public class LossConcealmentTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Theory]
    [InlineData("pcm")]
    [InlineData("opus")]
    [InlineData("ulaw")]
    public async Task Dropped_frames_become_concealed_audio_of_exactly_the_right_length(string codecName)
    {
        byte[] samples = CodecTestAudio.TwoTone(2);
        var drop = new HashSet<uint> { 10, 11, 30, 77 };
        using var temp = new TempDirectory();
        string path = temp.File("out.wav");

        var stream = await PlayWithLossAsync(CodecRegistry.Default.Get(codecName), samples, drop, path);

        Assert.True(stream.Ended);
        Assert.Equal(drop.Count, stream.Stats.Lost);
        var received = await PcmClip.LoadAsync(path, CancellationToken.None);
        long expectedFrames = stream.Info!.TotalSamples;
        Assert.Equal(expectedFrames, received.Frames);
        Assert.Equal(stream.Info.SampleRate * 2, expectedFrames);
        if (codecName == "pcm")
        {
            // Lossless outside the gaps, silence inside: nothing shifted in time.
            int frameBytes = 960 * 4;
            for (uint frame = 0; frame < samples.Length / frameBytes; frame++)
            {
                var expected = drop.Contains(frame) ? new byte[frameBytes] : samples.AsSpan((int)frame * frameBytes, frameBytes);
                Assert.True(expected.SequenceEqual(received.Samples.AsSpan((int)frame * frameBytes, frameBytes)), $"frame {frame}");
            }
        }
        else
        {
            byte[] reference = new PcmClip("ref", Stereo48, samples).ConvertTo(received.Format);
            Assert.Equal(0, SignalComparison.BestLag(reference, received.Samples, 2, 200, received.Format.SampleRate / 10));
        }
    }

    [Fact]
    public async Task Frames_lost_at_the_very_end_are_concealed_too()
    {
        byte[] samples = CodecTestAudio.TwoTone(2);
        var drop = new HashSet<uint> { 10, 98, 99 };
        using var temp = new TempDirectory();
        string path = temp.File("out.wav");

        var stream = await PlayWithLossAsync(CodecRegistry.Default.Get("pcm"), samples, drop, path);

        Assert.True(stream.Ended);
        Assert.Equal(3, stream.Stats.Lost);
        var received = await PcmClip.LoadAsync(path, CancellationToken.None);
        Assert.Equal(samples.Length, received.Samples.Length);
        int frameBytes = 960 * 4;
        Assert.Equal(samples.AsSpan(11 * frameBytes, 87 * frameBytes).ToArray(), received.Samples.AsSpan(11 * frameBytes, 87 * frameBytes).ToArray());
        Assert.True(received.Samples.AsSpan(98 * frameBytes).IndexOfAnyExcept((byte)0) < 0, "the last two frames should be concealed with silence");
    }

    private static async Task<ReceivedStream> PlayWithLossAsync(IAudioCodec codec, byte[] samples, ISet<uint> drop, string outputPath)
    {
        // The real server and client, in process over the memory transport, with a decorator losing the chosen frames.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var transport = new MemoryTransport();
        var factory = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(CodecTestAudio.Wav(Stereo48, samples)), "test", ct), codec, new CodecOptions());
        var policy = new LossPolicy(drop: new HashSet<uint>(drop));
        await using var server = new StreamServer(new LossyListener(transport, policy), factory, new StreamServerOptions { Pacing = PacingMode.Asap }, NullLoggerFactory.Instance);
        using var stopServer = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var serving = server.RunAsync(stopServer.Token);

        var client = new StreamClient(new StreamClientOptions { CreateSink = chain => chain.Decode(new WavFileOutput(outputPath)), Connector = transport }, NullLogger.Instance);
        var stream = new ReceivedStream();
        await client.RunAsync(new HostPort("memory", 0), stream, timeout.Token);
        await stopServer.CancelAsync();
        await serving;
        Assert.Equal(drop.Order(), policy.Dropped);
        return stream;
    }
}
