using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// The Native AOT <c>streamer</c> that tools/publish.sh makes (tools/test.sh runs it before the tests): one native
/// executable, built from this commit, that runs <c>demo</c>, <c>serve</c> → <c>play</c> bit-exact, and <c>probe</c>, and
/// refuses plug-ins with one line. A missing binary fails: publish it. The whole CLI suite can run against it too:
/// <c>STREAMER=artifacts/linux-x64/streamer tools/test.sh --filter FullyQualifiedName~Cli</c> (docs/deployment.md).
/// </summary>
public sealed class NativeBinaryTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    private static string Binary => Path.Combine(DocumentedCommandLines.RepositoryRoot(), "artifacts", "linux-x64", "streamer");

    [LinuxFact("the native binary is published for linux-x64")]
    public async Task The_native_binary_is_this_build_and_runs_demo_serve_play_and_probe()
    {
        Assert.True(File.Exists(Binary), $"no Native AOT binary at {Binary}: run tools/publish.sh (tools/test.sh does)");
        byte[] head = new byte[4];
        await using (var file = File.OpenRead(Binary))
        {
            await file.ReadExactlyAsync(head);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), head);

        // The same product version and commit as the build under test: a stale binary would test old code.
        var native = await CliProcess.RunAsync(Binary, ["--version"]);
        var managed = await CliProcess.RunAsync(null, ["--version"]);
        Assert.Equal(0, native.ExitCode);
        Assert.True(managed.Stdout == native.Stdout, $"the native binary says {native.Stdout.Trim()}, this build {managed.Stdout.Trim()}: run tools/publish.sh again");

        using var dir = new TempDirectory();
        var demo = await CliProcess.RunAsync(Binary, ["demo", "--seconds", "1", "--codec", "opus", "--output", dir.File("demo.wav"), "-q"], workingDirectory: dir.Path);
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.True(new FileInfo(dir.File("demo.wav")).Length > 48000 * 4, "a second of 48 kHz stereo");

        string source = dir.File("source.wav");
        byte[] samples = WavFixture.Write(source, Format, Format.SampleRate);
        await using var server = CliProcess.Start(Binary, ["serve", source, "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"], dir.Path);
        string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await server.WaitForLineAsync(l => l.Contains("Metrics at http://", StringComparison.Ordinal));
        string endpoint = "127.0.0.1:" + line.Split(' ')[3];

        var play = await CliProcess.RunAsync(Binary, ["play", endpoint, "--output", dir.File("out.wav"), "-q"], workingDirectory: dir.Path);
        Assert.True(play.ExitCode == 0, play.Stderr);
        Assert.Equal(samples, WavFixture.DataOf(await File.ReadAllBytesAsync(dir.File("out.wav"))));

        var probe = await CliProcess.RunAsync(Binary, ["probe", endpoint]);
        Assert.True(probe.ExitCode == 0, probe.Stderr);
        Assert.Contains("streamer v1 server", probe.Stdout, StringComparison.Ordinal);

        var plugin = await CliProcess.RunAsync(Binary, ["--plugin", dir.File("codec.dll"), "codecs"]);
        Assert.Equal(2, plugin.ExitCode);
        Assert.Equal($"streamer: error: {dir.File("codec.dll")}: plug-ins cannot load in the native (Native AOT) build of streamer; run the .NET build (dotnet streamer.dll, or the Streamer.Tool package) to use them", plugin.Stderr.Trim());
    }
}
