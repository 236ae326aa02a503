using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Streaming.Send;
using Streamer.Tests.Support;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>
/// The real <c>streamer play --output device</c> through PortAudio and ALSA into a private PulseAudio server's
/// timer-paced null sink (<see cref="SoundServerCard"/>), checked against what its monitor recorded, and into ALSA's
/// file plugin feeding a FIFO (<see cref="PacedAlsaCapture"/>). No sound card needed: the test script installs
/// libportaudio2, pulseaudio, pulseaudio-utils and libasound2-plugins.
/// </summary>
[Trait("Category", "Hardware")]
public sealed class DeviceOutputHardwareTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2, SampleEncoding.Int16);

    // With a target longer than the stream, the whole stream is buffered before the device starts and nothing
    // steers the playout speed: what the card gets must be the source, byte for byte. On the FIFO card, which has
    // no deadline (it blocks the writer), so a busy machine cannot make it fail: this one runs in CI.
    [Fact]
    public async Task Play_to_the_default_device_delivers_the_source_bit_exact()
    {
        byte[] source = Noise(Stereo48k, seconds: 2, seed: 7);
        using var capture = new PacedAlsaCapture(Stereo48k.BytesPerSecond, source.Length);
        string wav = Path.Combine(capture.Directory, "source.wav");
        using (var writer = new WavWriter(wav, Stereo48k))
        {
            writer.Write(source);
        }

        await using var server = StartServer(wav, out var serving, out var stop);
        string stats = Path.Combine(capture.Directory, "stats.json");
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["play", $"127.0.0.1:{server.LocalEndPoint.Port}", "--output", "device", "--jitter-ms", "5000", "--stats", stats, "-q"],
            TimeSpan.FromSeconds(60),
            environment: capture.Environment);
        await stop.CancelAsync();
        await serving;

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.DoesNotContain("ALSA lib", stderr, StringComparison.Ordinal);
        byte[] captured = capture.Captured();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(stats));
        Assert.Equal(0, json.RootElement.GetProperty("lost").GetInt64());
        AssertContainsIntact(captured, source);
        Assert.Equal(0, json.RootElement.GetProperty("underruns").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("late").GetInt64());
        Assert.Equal(96000, json.RootElement.GetProperty("samplesPlayed").GetInt64());
    }

    // The same through a real sound server's timer-paced null sink (PortAudio → ALSA's pulse plugin → PulseAudio):
    // this caught the end of every stream being cut (PortAudio drains only what reached the server). Timing: the
    // card keeps time, so the player must refill its 20 ms device buffer on time (see docs/playback.md for the
    // figures on this shared machine).
    [Fact]
    [Trait("Category", "Timing")]
    public async Task Play_through_a_sound_server_delivers_the_source_bit_exact()
    {
        byte[] source = Noise(Stereo48k, seconds: 2, seed: 7);
        using var card = new SoundServerCard(Stereo48k);
        string stats = Path.Combine(card.Directory, "stats.json");

        var (stdout, stderr, captured) = await PlayAsync(card, source, ["--output", "device", "--jitter-ms", "5000", "--stats", stats, "-q"]);

        Assert.DoesNotContain("ALSA lib", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(stats));
        Assert.Equal(0, json.RootElement.GetProperty("lost").GetInt64());
        AssertContainsIntact(captured, source, $"play said: {stderr}\n{card.ServerUnderruns()}");
        Assert.Equal(0, json.RootElement.GetProperty("underruns").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("late").GetInt64());
        Assert.Equal(96000, json.RootElement.GetProperty("samplesPlayed").GetInt64());
    }

    // Adaptive mode while the stream plays live: the buffer may steer the speed by dropping or repeating single
    // sample frames, but nothing else may change, and the buffer must never run dry. The floor of 100 ms keeps a
    // busy test machine's scheduling hiccups from causing underruns, which would drop audio. The card is a sound
    // server's timer-paced null sink (realtime priority as root), so a descheduled test process cannot stall it as
    // it stalled the Python-paced FIFO this test used before. Timing: the player itself must meet the card's
    // deadline, which a machine with ~25 runnable threads per 2 cores does not let it do every time (the figures are
    // in docs/playback.md). Run it on a quiet machine: tools/test.sh --filter Category=Timing.
    [Fact]
    [Trait("Category", "Timing")]
    public async Task Live_play_with_default_settings_delivers_the_source_with_at_most_single_frame_adjustments()
    {
        byte[] source = Noise(Stereo48k, seconds: 3, seed: 8);
        using var card = new SoundServerCard(Stereo48k);
        string stats = Path.Combine(card.Directory, "stats.json");

        var (stdout, stderr, captured) = await PlayAsync(card, source, ["--min-jitter-ms", "100", "--stats", stats, "-q"]);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(stats));
        string context = $"play said: {stdout}{stderr}\n{card.ServerUnderruns()}";
        Assert.True(json.RootElement.GetProperty("underruns").GetInt64() == 0, context);
        Assert.True(stdout.Contains(" 0 underruns", StringComparison.Ordinal), context);
        int adjustments;
        try
        {
            adjustments = FrameAdjustments(captured, source, Stereo48k.BlockAlign);
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException(ex.Message + "\n" + context);
        }

        Assert.InRange(adjustments, 0, source.Length / Stereo48k.BlockAlign / 200);
    }

    [Fact]
    public async Task Devices_lists_the_default_device()
    {
        using var card = new SoundServerCard(Stereo48k);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["devices"], TimeSpan.FromSeconds(30), environment: card.Environment);

        Assert.True(code == 0, stderr);
        Assert.Contains("INDEX", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+\d+\s+\*\s+\d+\s+\d+\s+default \(ALSA\)", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task An_unknown_device_name_fails_with_one_line()
    {
        using var card = new SoundServerCard(Stereo48k);
        string wav = Path.Combine(card.Directory, "source.wav");
        using (var writer = new WavWriter(wav, Stereo48k))
        {
            writer.Write(Noise(Stereo48k, 0.2, 1));
        }

        await using var server = StartServer(wav, out var serving, out var stop);
        var (code, _, stderr) = await CliProcess.RunAsync(
            ["play", $"127.0.0.1:{server.LocalEndPoint.Port}", "--device", "no-such-card", "-q"],
            TimeSpan.FromSeconds(30),
            environment: card.Environment);
        await stop.CancelAsync();
        await serving;

        Assert.Equal(1, code);
        Assert.Equal("streamer: error: --device 'no-such-card': no output device by that name (see 'streamer devices')\n", stderr);
    }

    internal static byte[] Noise(AudioFormat format, double seconds, int seed)
    {
        var random = new Random(seed);
        byte[] data = new byte[format.BytesFor(TimeSpan.FromSeconds(seconds))];
        random.NextBytes(data);
        return data;
    }

    internal static void AssertContainsIntact(byte[] captured, byte[] source, string context = "")
    {
        int start = captured.AsSpan().IndexOf(source.AsSpan(0, 64));
        Assert.True(start >= 0, $"the start of the source is not in the {captured.Length} captured bytes\n{context}");
        Assert.True(captured.Length - start >= source.Length, $"only {captured.Length - start} of {source.Length} bytes arrived\n{context}");
        int firstDifference = captured.AsSpan(start, source.Length).CommonPrefixLength(source);
        Assert.True(firstDifference == source.Length, $"the captured audio differs from the source at byte {firstDifference}\n{context}");
        Assert.True(captured.AsSpan(0, start).IndexOfAnyExcept((byte)0) < 0, $"non-silence before the source\n{context}");
        Assert.True(captured.AsSpan(start + source.Length).IndexOfAnyExcept((byte)0) < 0, $"non-silence after the source\n{context}");
    }

    /// <summary>
    /// Walks the capture against the source frame by frame; where they part, accepts only a dropped source frame
    /// or a repeated one (then the next 64 frames must match). Returns how many such adjustments it took.
    /// </summary>
    internal static int FrameAdjustments(byte[] captured, byte[] source, int blockAlign)
    {
        const int Confirm = 64;
        // Anchor on the first 8 frames only (32 bytes of noise are unique), so an adjustment soon after the
        // start is walked over like any other instead of hiding the start.
        int c = captured.AsSpan().IndexOf(source.AsSpan(0, 8 * blockAlign));
        Assert.True(c >= 0, "the start of the source is not in the capture");
        int s = 0;
        int adjustments = 0;
        while (s < source.Length)
        {
            int same = captured.AsSpan(c).CommonPrefixLength(source.AsSpan(s));
            same -= same % blockAlign;
            c += same;
            s += same;
            if (s >= source.Length)
            {
                break;
            }

            Assert.True(c < captured.Length, $"the capture ends {(source.Length - s) / blockAlign} frames before the source does");
            int window = Math.Min(Confirm * blockAlign, source.Length - s - blockAlign);
            if (captured.AsSpan(c, Math.Min(window, captured.Length - c)).SequenceEqual(source.AsSpan(s + blockAlign, window)))
            {
                s += blockAlign; // a dropped frame
            }
            else if (c >= blockAlign && captured.AsSpan(c, blockAlign).SequenceEqual(captured.AsSpan(c - blockAlign, blockAlign)))
            {
                c += blockAlign; // a repeated frame
            }
            else
            {
                Assert.Fail($"the capture departs from the source at source frame {s / blockAlign} in a way other than one dropped or repeated frame");
            }

            adjustments++;
        }

        return adjustments;
    }

    /// <summary>Serves <paramref name="source"/> from an in-process server and plays it to the card while recording.</summary>
    private static async Task<(string Stdout, string Stderr, byte[] Captured)> PlayAsync(SoundServerCard card, byte[] source, string[] options)
    {
        string wav = Path.Combine(card.Directory, "source.wav");
        using (var writer = new WavWriter(wav, Stereo48k))
        {
            writer.Write(source);
        }

        await using var server = StartServer(wav, out var serving, out var stop);
        card.StartRecording();
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["play", $"127.0.0.1:{server.LocalEndPoint.Port}", .. options],
            TimeSpan.FromSeconds(60),
            environment: card.Environment);
        await stop.CancelAsync();
        await serving;

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        return (stdout, stderr, card.StopRecording());
    }

    private static StreamServer StartServer(string wav, out Task serving, out CancellationTokenSource stop)
    {
        var sources = new FrameSourceFactory(ct => WavFileSource.OpenAsync(wav, ct), new PcmCodec(), new CodecOptions());
        // A busy test host must not make the server skip frames to catch up: the tests compare every sample.
        var options = new StreamServerOptions { MaxLag = TimeSpan.FromHours(1) };
        var server = new StreamServer("127.0.0.1", 0, sources, options, NullLoggerFactory.Instance);
        stop = new CancellationTokenSource();
        serving = server.RunAsync(stop.Token);
        return server;
    }
}
