using System.Buffers.Binary;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Icecast;

/// <summary>
/// The real <c>streamer</c> against a real Icecast 2.4 on loopback: serve publishes to a mount, ffprobe and opusinfo read
/// it back from Icecast, play of the mount gives the source's audio, and an Icecast restart is survived.
/// </summary>
public class IcecastEndToEndTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Serve_publishes_to_an_icecast_mount_that_ffprobe_and_opusinfo_read_as_ogg_opus()
    {
        await using var icecast = await IcecastServer.StartAsync();
        await using var serve = CliProcess.Start(["serve", "tone", "--host", "127.0.0.1", "--port", "0", "--codec", "opus", "--icecast", icecast.SourceUrl("/live.opus"), "--icecast-name", "test tone", "--icecast-description", "a tone from the tests"]);
        await icecast.WaitForMountAsync("/live.opus", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(IcecastServer.SourcePassword, serve.Stdout + serve.Stderr);

        using var temp = new TempDirectory();
        string recording = temp.File("from-icecast.opus");
        await File.WriteAllBytesAsync(recording, await icecast.RecordAsync("/live.opus", 3));

        Assert.True(ExternalTool.Exists("ffprobe"), "ffprobe is not installed (Debian package ffmpeg)");
        var probe = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=nw=1", recording);
        Assert.True(probe.ExitCode == 0, probe.Stderr);
        Assert.Contains("codec_name=opus", probe.Stdout);
        Assert.Contains("sample_rate=48000", probe.Stdout);
        Assert.Contains("channels=2", probe.Stdout);

        Assert.True(ExternalTool.Exists("opusinfo"), "opusinfo is not installed (Debian package opus-tools)");
        var info = ExternalTool.Run("opusinfo", recording);
        // opusinfo exits non-zero for a stream cut off without its end-of-stream page, as a live recording is; it
        // says so in a warning, and reports any damage as an error.
        Assert.Contains("type opus", info.Stdout);
        Assert.Contains("Channels: 2", info.Stdout);
        Assert.Contains("EOS not set on stream 1 (normal for live streams)", info.Stdout);
        Assert.DoesNotContain("ERROR", info.Stdout + info.Stderr);
        Assert.Contains("Packet duration:   20.0ms", info.Stdout);
    }

    [Fact]
    public async Task Play_of_the_icecast_mount_gives_the_source_audio_lined_up()
    {
        using var temp = new TempDirectory();
        byte[] source = KeyedTone(14);
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, source));
        await using var icecast = await IcecastServer.StartAsync();
        await using var serve = CliProcess.Start(["serve", input, "--host", "127.0.0.1", "--port", "0", "--mode", "broadcast", "--codec", "opus", "--bitrate", "96k", "--icecast", icecast.SourceUrl("/file.opus")]);
        await icecast.WaitForMountAsync("/file.opus", TimeSpan.FromSeconds(20));

        // The broadcast ends with the file: Icecast passes the end-of-stream page on and play ends normally.
        string output = temp.File("out.wav");
        var play = await CliProcess.RunAsync(["play", icecast.ListenUrl("/file.opus"), "--output", output, "--stats", temp.File("stats.json"), "-q"], TimeSpan.FromSeconds(60));
        Assert.True(play.ExitCode == 0, play.Stderr);
        var received = await PcmClip.LoadAsync(output, CancellationToken.None);
        Assert.Equal(Stereo48, received.Format);
        Assert.True(received.Samples.Length > 4 * 48000 * 4, $"only {received.Samples.Length / 4} frames");

        // Where in the source the mount's audio starts (listeners join live): coarse by the 50 ms amplitude steps,
        // then to the sample; past the decoder's first packets it matches the source as a direct stream does.
        int offset = Locate(source, received.Samples);
        byte[] expected = source.AsSpan(offset * 4).ToArray();
        byte[] settled = received.Samples.AsSpan(4800 * 4).ToArray();
        double snr = SignalComparison.SnrDb(expected.AsSpan(4800 * 4).ToArray(), settled, 0, 2);
        Assert.True(snr >= 20, $"SNR {snr:0.0} dB at source offset {offset}");
        string stats = await File.ReadAllTextAsync(temp.File("stats.json"));
        Assert.Contains("\"lost\": 0", stats);
    }

    [Fact]
    public async Task An_icecast_restart_mid_stream_is_survived_by_the_source_and_the_mount_plays_again()
    {
        await using var icecast = await IcecastServer.StartAsync();
        await using var serve = CliProcess.Start(["serve", "tone", "--host", "127.0.0.1", "--port", "0", "--codec", "opus", "--icecast", icecast.SourceUrl("/restart.opus")]);
        await icecast.WaitForMountAsync("/restart.opus", TimeSpan.FromSeconds(20));
        await serve.WaitForLineAsync(l => l.Contains("Icecast: publishing to", StringComparison.Ordinal));

        await icecast.StopProcessAsync();
        await serve.WaitForLineAsync(l => l.Contains("reconnecting in", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await icecast.StartProcessAsync();
        await icecast.WaitForMountAsync("/restart.opus", TimeSpan.FromSeconds(40));
        string log = serve.Stdout + serve.Stderr;
        Assert.True(log.Split("Icecast: publishing to").Length - 1 >= 2, log);
        Assert.DoesNotContain(IcecastServer.SourcePassword, log);

        using var temp = new TempDirectory();
        string output = temp.File("after.wav");
        var play = await CliProcess.RunAsync(["play", icecast.ListenUrl("/restart.opus"), "--output", output, "--duration", "2s", "-q"], TimeSpan.FromSeconds(30));
        Assert.True(play.ExitCode == 0, play.Stderr);
        var received = await PcmClip.LoadAsync(output, CancellationToken.None);
        Assert.True(received.Samples.Length >= 48000 * 4, $"only {received.Samples.Length / 4} frames after the restart");
        Assert.True(Rms(received.Samples) > 1000, "the replayed mount is silent");
    }

    /// <summary>A 660 Hz tone whose amplitude steps every 50 ms by a fixed pseudo-random key: a place in it can be found.</summary>
    internal static byte[] KeyedTone(double seconds)
    {
        var random = new Random(7);
        int frames = (int)(seconds * 48000);
        var data = new byte[frames * 4];
        double amplitude = 0.3;
        for (int i = 0; i < frames; i++)
        {
            if (i % 2400 == 0)
            {
                amplitude = 0.05 + (random.NextDouble() * 0.5);
            }

            short value = (short)(Math.Sin(2 * Math.PI * 660 * i / 48000.0) * amplitude * 32767);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 4), value);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan((i * 4) + 2), value);
        }

        return data;
    }

    /// <summary>The frame of <paramref name="source"/> where <paramref name="received"/> begins.</summary>
    internal static int Locate(byte[] source, byte[] received)
    {
        const int Block = 480;
        double[] a = Envelope(source, Block), b = Envelope(received, Block);
        int span = Math.Min(100, b.Length - 10);
        int bestBlock = 0;
        double bestError = double.MaxValue;
        for (int lag = 0; lag + span <= a.Length; lag++)
        {
            double error = 0;
            for (int i = 5; i < span; i++)
            {
                double d = a[lag + i] - b[i];
                error += d * d;
            }

            if (error < bestError)
            {
                bestError = error;
                bestBlock = lag;
            }
        }

        int coarse = bestBlock * Block;
        int best = coarse;
        double bestSnr = double.NegativeInfinity;
        byte[] window = received.AsSpan(9600 * 4, 9600 * 4).ToArray();
        for (int lag = Math.Max(0, coarse - Block); lag <= coarse + Block && (lag + 19200) * 4 <= source.Length; lag++)
        {
            double snr = SignalComparison.SnrDb(source.AsSpan((lag + 9600) * 4, 9600 * 4).ToArray(), window, 0, 2);
            if (snr > bestSnr)
            {
                bestSnr = snr;
                best = lag;
            }
        }

        return best;
    }

    private static double[] Envelope(byte[] pcm, int block)
    {
        int blocks = pcm.Length / 4 / block;
        var envelope = new double[blocks];
        for (int k = 0; k < blocks; k++)
        {
            double sum = 0;
            for (int i = 0; i < block; i++)
            {
                double x = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(((k * block) + i) * 4));
                sum += x * x;
            }

            envelope[k] = Math.Sqrt(sum / block);
        }

        return envelope;
    }

    private static double Rms(byte[] pcm)
    {
        double sum = 0;
        int n = pcm.Length / 2;
        for (int i = 0; i < n; i++)
        {
            double x = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2));
            sum += x * x;
        }

        return Math.Sqrt(sum / Math.Max(1, n));
    }
}
