using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Streamer.Media;
using Streamer.Tests.Media.Containers.Wav;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>Bad files and arguments: one line naming the input and the problem, the documented exit code, no stack trace.</summary>
public class BadInputTests
{
    public static TheoryData<string, byte[], string> MalformedFiles()
    {
        var data = new TheoryData<string, byte[], string>();
        foreach (var row in WavHeaderParserTests.Malformed())
        {
            data.Add((string)row[0], (byte[])row[1], (string)row[2]);
        }

        return data;
    }

    private static void AssertOneLineError(string stderr, string mustContain)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + stderr);
        Assert.StartsWith("streamer: error: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task Serve_refuses_a_malformed_wav_before_listening(string what, byte[] file, string reason)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.wav");
        File.WriteAllBytes(path, file);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", path, "--port", "0"], TimeSpan.FromSeconds(30));

        Assert.True(code == 2, $"{what}: exit {code}\n{stderr}");
        AssertOneLineError(stderr, path);
        Assert.Contains(reason, stderr);
        Assert.DoesNotContain("Serving", stdout);
    }

    [Fact]
    public async Task Serve_names_a_missing_file()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["serve", "/nonexistent/dir/missing.wav"]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, "/nonexistent/dir/missing.wav: no such");
    }

    [Fact]
    public async Task Serve_refuses_an_unknown_codec()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 100)));

        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--codec", "mp3000", "--port", "0"]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, "unknown codec 'mp3000'");
    }

    [Theory]
    [InlineData("play", "localhost:99999", "port must be a number from 1 to 65535")]
    [InlineData("play", "[::1", "missing ']'")]
    [InlineData("play", ":9611", "no host given")]
    public async Task Bad_endpoints_are_bad_arguments(string command, string endpoint, string reason)
    {
        var (code, _, stderr) = await CliProcess.RunAsync([command, endpoint, "--output", "null"]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, reason);
    }

    [Fact]
    public async Task Unknown_options_are_bad_arguments_with_a_pointer_to_help()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "localhost:1", "--frobnicate"]);

        Assert.Equal(2, code);
        Assert.Contains("--frobnicate", stderr);
        Assert.Contains("streamer play --help", stderr);
    }

    [Fact]
    public async Task Connection_refused_is_a_runtime_failure()
    {
        int port = FreePort();
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", "null"]);

        Assert.Equal(1, code);
        AssertOneLineError(stderr, "connection refused");
    }

    [Fact]
    public async Task Unknown_host_is_a_runtime_failure()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "no-such-host.invalid:9611", "--output", "null"]);

        Assert.Equal(1, code);
        AssertOneLineError(stderr, "name not resolved");
    }

    [Fact]
    public async Task Port_in_use_is_a_runtime_failure()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 100)));
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        int port = ((IPEndPoint)occupier.LocalEndpoint).Port;

        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, code);
        AssertOneLineError(stderr, "address already in use");
    }

    [Fact]
    public async Task Output_to_a_missing_directory_is_refused_before_connecting()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:1", "--output", "/nonexistent/dir/out.wav"]);

        Assert.Equal(2, code);
        AssertOneLineError(stderr, "does not exist");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
