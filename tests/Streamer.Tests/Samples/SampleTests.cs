using System.Diagnostics;
using System.IO.Compression;
using Streamer.Media;
using Streamer.Tests.Cli;
using Streamer.Tests.Support;

namespace Streamer.Tests.Samples;

/// <summary>
/// The packages (dotnet pack of every library) and samples/Embedding, built in a clean folder against them by
/// <see cref="PluginFixture"/>: a WAV served and played back through the public API only.
/// </summary>
public sealed class SampleTests : IClassFixture<PluginFixture>
{
    private readonly PluginFixture _fixture;

    public SampleTests(PluginFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Every_library_packs_with_its_readme_and_xml_docs()
    {
        foreach (string library in PluginFixture.Libraries)
        {
            string package = Path.Combine(_fixture.Artifacts, library + ".0.1.0.nupkg");
            Assert.True(File.Exists(package), package + " was not packed");
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("README.md", entries);
            Assert.Contains($"lib/net10.0/{library}.dll", entries);
            Assert.Contains($"lib/net10.0/{library}.xml", entries);
        }
    }

    [Fact]
    public async Task The_embedding_sample_serves_a_wav_and_plays_it_back_bit_exact()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(44100, 2, SampleEncoding.Int16);
        byte[] source = WavFixture.Write(dir.File("in.wav"), format, 3 * 44100 + 17);

        var (code, stdout, stderr) = await RunAsync(_fixture.EmbeddingProgram, dir.File("in.wav"), dir.File("out.wav"));

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("0 lost, pcm", stdout, StringComparison.Ordinal);
        byte[] wav = await File.ReadAllBytesAsync(dir.File("out.wav"));
        Assert.Equal(format, WavFixture.HeaderOf(wav).Format);
        byte[] played = WavFixture.DataOf(wav);
        Assert.Equal(source.Length, played.Length);
        Assert.True(source.AsSpan().SequenceEqual(played), "the played samples differ from the served ones");
    }

    [Fact]
    public async Task The_embedding_sample_reports_a_missing_file_in_one_line()
    {
        using var dir = new TempDirectory();

        var (code, _, stderr) = await RunAsync(_fixture.EmbeddingProgram, dir.File("missing.wav"), dir.File("out.wav"));

        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("missing.wav: no such file", line, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
