using System.Globalization;
using System.Text.Json;
using Streamer.Bench;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>The real <c>streamer</c> binary: serve and play with codecs over loopback, recordings, bench and bad input.</summary>
public class CodecEndToEndTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Opus_at_64_kbps_over_loopback_gives_aligned_48k_output_of_the_source_duration()
    {
        using var temp = new TempDirectory();
        byte[] samples = CodecTestAudio.TwoTone(3);
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, samples));
        await using var server = await ServeAsync(input, "--codec", "opus", "--bitrate", "64");

        string output = temp.File("out.wav");
        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{server.Port}", "--output", output, "-q"]);
        Assert.True(play.ExitCode == 0, play.Stderr);

        var received = await PcmClip.LoadAsync(output, CancellationToken.None);
        Assert.Equal(Stereo48, received.Format);
        Assert.Equal(samples.Length, received.Samples.Length);
        Assert.Equal(0, SignalComparison.BestLag(samples, received.Samples, 2, 480, 48000));
        double snr = SignalComparison.SnrDb(samples, received.Samples, 0, 2);
        Assert.True(snr >= 30, $"SNR {snr:0.0} dB");
    }

    [Fact]
    public async Task A_44k1_source_sent_as_opus_plays_at_48k_with_the_same_duration()
    {
        using var temp = new TempDirectory();
        string input = temp.File("in44.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.SineWav(new AudioFormat(44100, 2, SampleEncoding.Int16), 2, 440));
        await using var server = await ServeAsync(input, "--codec", "opus");

        string output = temp.File("out.wav");
        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{server.Port}", "--output", output, "-q"]);
        Assert.True(play.ExitCode == 0, play.Stderr);
        await using var wav = await WavFile.OpenAsync(output);
        Assert.Equal(48000, wav.Format.SampleRate);
        Assert.Equal(2 * 48000, wav.Header.DataLength / wav.Format.BlockAlign);
    }

    [Fact]
    public async Task Play_to_an_opus_file_records_a_clean_ogg_opus_of_the_source_duration()
    {
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(3)));
        await using var server = await ServeAsync(input, "--codec", "opus", "--bitrate", "64");

        string recording = temp.File("rec.opus");
        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{server.Port}", "--output", recording, "-q"]);
        Assert.True(play.ExitCode == 0, play.Stderr);

        var info = ExternalTool.Run("opusinfo", recording);
        Assert.Equal(0, info.ExitCode);
        Assert.DoesNotContain("warning", info.Stdout + info.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Playback length: 0m:03.000s", info.Stdout, StringComparison.Ordinal);

        string decoded = temp.File("dec.wav");
        Assert.Equal(0, ExternalTool.Run("opusdec", "--quiet", recording, decoded).ExitCode);
        await using var wav = await WavFile.OpenAsync(decoded);
        Assert.Equal(3 * 48000, wav.Header.DataLength / wav.Format.BlockAlign);
    }

    [Fact]
    public async Task An_opus_file_output_for_a_pcm_stream_is_refused_clearly()
    {
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(1)));
        await using var server = await ServeAsync(input, "--codec", "pcm");

        string recording = temp.File("rec.opus");
        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{server.Port}", "--output", recording, "-q"]);
        Assert.Equal(2, play.ExitCode);
        string error = play.Stderr.Trim();
        Assert.Single(error.Split('\n'));
        Assert.Contains("pcm", error, StringComparison.Ordinal);
        Assert.Contains("--codec opus", error, StringComparison.Ordinal);
        Assert.False(File.Exists(recording));
    }

    [Theory]
    [InlineData("--codec", "mp3", "unknown codec 'mp3'")]
    [InlineData("--codec", "opus", "--bitrate", "1000", "6 to 510 kbit/s")]
    [InlineData("--codec", "opus", "--frame-ms", "7", "2.5, 5, 10, 20, 40 or 60 ms")]
    [InlineData("--codec", "opus", "--complexity", "12", "--complexity must be from 0 to 10")]
    [InlineData("--codec", "opus", "--expected-loss", "150", "--expected-loss must be from 0 to 100")]
    [InlineData("--codec", "opus", "--application", "music", "--application must be audio, voip or lowdelay")]
    [InlineData("--codec", "ulaw", "--frame-ms", "0.01", "ulaw frames must be a whole number")]
    [InlineData("--codec", "opus", "--vbr", "--cbr", "exclude each other")]
    public async Task Bad_codec_settings_exit_2_with_one_line(params string[] argsAndMessage)
    {
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(0.5)));
        string expected = argsAndMessage[^1];
        var run = await CliProcess.RunAsync(["serve", input, "--port", "0", .. argsAndMessage[..^1]]);

        Assert.Equal(2, run.ExitCode);
        string error = run.Stderr.Trim();
        Assert.Single(error.Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_codecs_prints_a_json_row_per_codec()
    {
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(1)));
        var run = await CliProcess.RunAsync(["bench", "codecs", input, "--codec", "pcm", "--codec", "ulaw", "--codec", "opus", "--bitrate", "32", "--bitrate", "64", "--json"], TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 0, run.Stderr);

        using var json = JsonDocument.Parse(run.Stdout);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["pcm", "ulaw", "opus", "opus"], rows.Select(r => r.GetProperty("codec").GetString()));
        Assert.True(rows[0].GetProperty("lossless").GetBoolean());
        Assert.InRange(rows[0].GetProperty("kbps").GetDouble(), 1535, 1537);
        Assert.InRange(rows[1].GetProperty("kbps").GetDouble(), 127, 129);
        Assert.InRange(rows[2].GetProperty("kbps").GetDouble(), 20, 45);
        Assert.True(rows[3].GetProperty("snrDb").GetDouble() >= 30);
        Assert.Equal(26.5, rows[3].GetProperty("delayMs").GetDouble());
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("lagSamples").GetInt32()));
    }

    [Fact]
    public async Task Bench_codecs_refuses_an_unknown_codec()
    {
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(0.2)));
        var run = await CliProcess.RunAsync(["bench", "codecs", input, "--codec", "flac"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown codec 'flac'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_libopus_so_in_the_working_directory_survives_both_opus_codecs()
    {
        // Concentus' fallback deletes ./libopus.so when its own probe fails; ours must never get that far.
        using var temp = new TempDirectory();
        string input = temp.File("in.wav");
        await File.WriteAllBytesAsync(input, CodecTestAudio.Wav(Stereo48, CodecTestAudio.TwoTone(0.5)));
        string decoy = temp.File("libopus.so");
        await File.WriteAllTextAsync(decoy, "not a library");

        var run = await CliProcess.RunAsync(["bench", "codecs", input, "--codec", "opus", "--codec", "opus-native", "--csv"], TimeSpan.FromSeconds(120), workingDirectory: temp.Path);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("not a library", await File.ReadAllTextAsync(decoy));
    }

    private static async Task<Server> ServeAsync(string input, params string[] codecArgs)
    {
        var process = CliProcess.Start(["serve", input, "--host", "127.0.0.1", "--port", "0", "--pace", "asap", .. codecArgs]);
        try
        {
            string line = await process.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            int port = int.Parse(line["Serving on port ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
            return new Server(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private sealed class Server(CliProcess process, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
