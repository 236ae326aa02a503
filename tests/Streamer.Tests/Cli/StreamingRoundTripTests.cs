using System.Text.Json;
using Streamer.Media;
using Streamer.Tests.Media.Containers.Wav;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>serve → TCP → play, through the real binary: PCM must come out bit-exact in every layout.</summary>
public class StreamingRoundTripTests
{
    [Theory]
    [MemberData(nameof(WavHeaderParserTests.Layouts), MemberType = typeof(WavHeaderParserTests))]
    public async Task Pcm_round_trip_is_bit_exact(int rate, int channels, string encoding, bool extensible)
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(rate, channels, Enum.Parse<SampleEncoding>(encoding), extensible ? (1 << channels) - 1 : 0);
        // A length that is not a whole number of 20 ms frames, so the short last frame is covered too.
        byte[] samples = WavFixture.Samples(format, (rate / 2) + 37);
        string source = dir.File("in.wav");
        File.WriteAllBytes(source, WavFixture.Build(format, samples, extensible, chunksBefore: [("JUNK", 13)], chunksAfterFmt: [("LIST", 21)]));

        var (server, port) = await ServerProcess.StartAsync(source, "--pace", "asap");
        await using (server)
        {
            string output = dir.File("out.wav");
            var (code, stdout, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", output, "--stats", dir.File("stats.json"), "-q"]);

            Assert.True(code == 0, $"play failed ({code}): {stderr}");
            Assert.Contains("0 lost", stdout);
            byte[] received = File.ReadAllBytes(output);
            Assert.Equal(format with { ChannelMask = received.Length > 0 ? WavFixture.HeaderOf(received).Format.ChannelMask : 0 }, WavFixture.HeaderOf(received).Format);
            Assert.Equal(samples, WavFixture.DataOf(received));
            if (extensible)
            {
                Assert.Equal(format.ChannelMask, WavFixture.HeaderOf(received).Format.ChannelMask);
            }

            using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
            Assert.True(stats.RootElement.GetProperty("completed").GetBoolean());
            Assert.Equal(0, stats.RootElement.GetProperty("lost").GetInt64());
            Assert.Equal(samples.Length / format.BlockAlign, stats.RootElement.GetProperty("samplesPlayed").GetInt64());
            Assert.True(stats.RootElement.GetProperty("packets").GetInt64() >= 25);
            Assert.True(stats.RootElement.GetProperty("latencyMs").GetProperty("p99").GetDouble() >= stats.RootElement.GetProperty("latencyMs").GetProperty("p50").GetDouble());

            if (ExternalTool.Exists("sox"))
            {
                AssertSoxAgrees(output, format, samples, dir);
            }
        }
    }

    [Fact]
    public async Task Several_clients_each_get_the_whole_file_from_the_start()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        byte[] samples = WavFixture.Write(source, format, 48000);

        var (server, port) = await ServerProcess.StartAsync(source, "--pace", "asap");
        await using (server)
        {
            var clients = Enumerable.Range(0, 3)
                .Select(i => CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File($"out{i}.wav"), "-q"]))
                .ToArray();
            var results = await Task.WhenAll(clients);

            for (int i = 0; i < results.Length; i++)
            {
                Assert.True(results[i].ExitCode == 0, results[i].Stderr);
                Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File($"out{i}.wav"))));
            }
        }
    }

    [Fact]
    public async Task Realtime_pacing_delivers_the_whole_file_without_loss()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        byte[] samples = WavFixture.Write(source, format, 24000);

        var (server, port) = await ServerProcess.StartAsync(source);
        await using (server)
        {
            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);

            Assert.True(code == 0, stderr);
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
        }
    }

    [Fact]
    public async Task Raw_pcm_to_stdout_carries_exactly_the_samples()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 1, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        byte[] samples = WavFixture.Write(source, format, 4800);

        var (server, port) = await ServerProcess.StartAsync(source, "--pace", "asap");
        await using (server)
        {
            string script = $"{CliProcess.ShellCommand} play 127.0.0.1:{port} --output - -q > '{dir.File("out.raw")}'";
            var (code, _, stderr) = ExternalTool.Run("bash", "-c", script);

            Assert.True(code == 0, stderr);
            Assert.Equal(samples, File.ReadAllBytes(dir.File("out.raw")));
        }
    }

    private static void AssertSoxAgrees(string output, AudioFormat format, byte[] samples, TempDirectory dir)
    {
        var info = ExternalTool.Run("sox", "--i", output);
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains($"Channels       : {format.Channels}", info.Stdout);
        Assert.Contains($"Sample Rate    : {format.SampleRate}", info.Stdout);
        Assert.Contains($"Precision      : {(format.Encoding == SampleEncoding.Float64 ? 54 : format.Encoding == SampleEncoding.Float32 ? 25 : format.Encoding.BytesPerSample() * 8)}-bit", info.Stdout);
        // sox decodes floats through its 32-bit integer pipeline, so compare what it reads from both files.
        var fromOutput = ExternalTool.Run("sox", output, "-t", "raw", dir.File("out.raw"));
        var fromSource = ExternalTool.Run("sox", dir.File("in.wav"), "-t", "raw", dir.File("in.raw"));
        Assert.True(fromOutput.ExitCode == 0 && fromSource.ExitCode == 0, fromOutput.Stderr + fromSource.Stderr);
        Assert.Equal(File.ReadAllBytes(dir.File("in.raw")), File.ReadAllBytes(dir.File("out.raw")));
        if (!format.Encoding.IsFloat())
        {
            Assert.Equal(samples, File.ReadAllBytes(dir.File("out.raw")));
        }
    }
}
