using System.Diagnostics;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// Packs every library into a temp artifacts folder, copies samples/Int8Codec and samples/Embedding beside it and builds
/// them there, as a plug-in author or an embedder would: against the packed packages, through each sample's own NuGet.config.
/// Also builds two broken plug-ins from the same package: one whose constructor throws, one named "pcm".
/// </summary>
public sealed class PluginFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public string SamplePlugin { get; private set; } = "";

    public string ThrowingPlugin { get; private set; } = "";

    public string ClashingPlugin { get; private set; } = "";

    public string Root => _dir.Path;

    /// <summary>Where the packages were packed.</summary>
    public string Artifacts => _dir.File("artifacts");

    /// <summary>samples/Embedding, built against the packed Streamer.Streaming.</summary>
    public string EmbeddingProgram { get; private set; } = "";

    /// <summary>The library projects (under src/) that pack.</summary>
    public static readonly string[] Libraries =
    [
        "Streamer.Transport", "Streamer.Protocol", "Streamer.Media", "Streamer.Codecs.Opus", "Streamer.Devices.PortAudio",
        "Streamer.Streaming", "Streamer.Chat", "Streamer.Probe", "Streamer.Bench",
    ];

    public async Task InitializeAsync()
    {
        string repo = DocumentedCommandLines.RepositoryRoot();
        string artifacts = _dir.File("artifacts");
        foreach (string project in Libraries)
        {
            await DotnetAsync(repo, "pack", Path.Combine(repo, "src", project, project + ".csproj"), "-c", "Release", "--no-build", "-o", artifacts);
        }

        string samples = Directory.CreateDirectory(_dir.File("samples")).FullName;
        foreach (string file in Directory.GetFiles(Path.Combine(repo, "samples"), "Directory.*"))
        {
            File.Copy(file, Path.Combine(samples, Path.GetFileName(file)));
        }

        string sample = Path.Combine(samples, "Int8Codec");
        CopySources(Path.Combine(repo, "samples", "Int8Codec"), sample);
        SamplePlugin = await BuildAsync(sample, "Int8Codec");

        string embedding = Path.Combine(samples, "Embedding");
        CopySources(Path.Combine(repo, "samples", "Embedding"), embedding);
        EmbeddingProgram = await BuildAsync(embedding, "Embedding");

        string source = await File.ReadAllTextAsync(Path.Combine(sample, "Int8Codec.cs"));
        ThrowingPlugin = await BuildVariantAsync(samples, sample, "Throwing", source.Replace(
            "public sealed class Int8Codec : IAudioCodec\n{",
            "public sealed class Int8Codec : IAudioCodec\n{\n    public Int8Codec() => throw new InvalidOperationException(\"no licence key\");\n",
            StringComparison.Ordinal));
        ClashingPlugin = await BuildVariantAsync(samples, sample, "Clashing", source.Replace("public string Name => \"int8\";", "public string Name => \"pcm\";", StringComparison.Ordinal));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> BuildVariantAsync(string samples, string sample, string name, string source)
    {
        string folder = Path.Combine(samples, name);
        CopySources(sample, folder);
        File.Move(Path.Combine(folder, "Int8Codec.csproj"), Path.Combine(folder, name + ".csproj"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Int8Codec.cs"), source);
        return await BuildAsync(folder, name);
    }

    private async Task<string> BuildAsync(string folder, string name)
    {
        // A private package folder: the freshly packed Streamer.Media, never a stale copy of the same version.
        await DotnetAsync(folder, "build", "-c", "Release", "--packages", _dir.File("packages"));
        string dll = Path.Combine(folder, "bin", "Release", "net10.0", name + ".dll");
        Assert.True(File.Exists(dll), dll + " was not built");
        return dll;
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from).Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }
}
