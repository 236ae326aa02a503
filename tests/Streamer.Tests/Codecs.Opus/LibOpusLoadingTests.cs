using System.Diagnostics;
using System.Globalization;
using Streamer.Bench;
using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Codecs.Opus;

/// <summary>
/// <c>opus-native</c> on a machine with only the runtime package: Debian's <c>libopus0</c> ships <c>libopus.so.0</c>;
/// the unversioned <c>libopus.so</c> comes only with <c>libopus-dev</c>.
/// </summary>
public sealed class LibOpusLoadingTests
{
    [LinuxFact("libopus.so.0 is the Linux runtime package's name")]
    public void With_only_the_versioned_name_resolvable_it_loads_and_round_trips()
    {
        OpusNative.Require();
        // The unversioned name first, made unresolvable, as on a machine without the -dev package.
        var (library, error) = LibOpus.Load(["libopus-dev-not-installed.so", "libopus.so.0"]);
        Assert.True(library is not null, error);
        Assert.Equal("libopus.so.0", library.Name);
        Assert.StartsWith("libopus ", library.Version, StringComparison.Ordinal);

        var settings = OpusSettings.Parse(OpusCodec.NativeName, new CodecOptions());
        using var encoder = new LibOpusEncoder(library, 2, settings);
        using var decoder = new LibOpusDecoder(library, 2);
        byte[] source = CodecTestAudio.TwoTone(1);
        short[] pcm = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(source).ToArray();
        var packet = new byte[OpusAudioEncoder.MaxOpusPacketBytes];
        var decoded = new short[pcm.Length + (2 * 960 * 2)];
        int written = 0;
        var padded = new short[pcm.Length + (2 * 960 * 2)];
        pcm.CopyTo(padded, 0);
        for (int offset = 0; offset + 1920 <= padded.Length; offset += 1920)
        {
            int length = encoder.Encode(padded.AsSpan(offset, 1920), 960, packet);
            written += decoder.Decode(packet.AsSpan(0, length), decoded.AsSpan(written), 960, false) * 2;
        }

        byte[] output = System.Runtime.InteropServices.MemoryMarshal.AsBytes(decoded.AsSpan(encoder.Lookahead * 2, pcm.Length)).ToArray();
        Assert.True(SignalComparison.SnrDb(source, output, 0, 2) >= 30);
    }

    [Fact]
    public void The_runtime_package_name_is_tried_first()
    {
        var expected = OperatingSystem.IsWindows() ? new[] { "opus.dll", "libopus-0.dll" }
            : OperatingSystem.IsMacOS() ? ["libopus.0.dylib", "libopus.dylib"]
            : ["libopus.so.0", "libopus.so"];
        Assert.Equal(expected, LibOpus.DefaultCandidates().Take(2));
    }

    [LinuxFact("mount namespaces are Linux's")]
    public async Task Demo_plays_opus_native_where_the_dev_symlink_is_missing()
    {
        // The real binary in a private mount namespace where every unversioned libopus.so is whited out (an
        // overlay over its directory): what a user with only libopus0 has. The host's files are not touched.
        OpusNative.Require();
        Assert.True(ExternalTool.Exists("unshare"), "this test needs unshare (util-linux) and root to hide libopus.so");
        using var dir = new TempDirectory();
        var hide = new List<string>();
        int layer = 0;
        foreach (string libDir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib64" })
        {
            if (File.Exists(Path.Combine(libDir, "libopus.so")) && !IsSymlinkedDirectory(libDir))
            {
                string upper = dir.File($"up{layer}");
                string work = dir.File($"work{layer++}");
                hide.Add($"mkdir -p {upper} {work} && mknod {upper}/libopus.so c 0 0 && mount -t overlay overlay -o lowerdir={libDir},upperdir={upper},workdir={work} {libDir}");
            }
        }

        string wav = dir.File("demo.wav");
        string script = string.Join(" && ", hide.Append("! test -e /usr/lib/x86_64-linux-gnu/libopus.so")
            .Append($"exec {CliProcess.ShellCommand} demo --seconds 1 --codec opus-native --quiet --output {wav}"));
        var info = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {await stderr}{await stdout}");

        var header = WavFixture.HeaderOf(File.ReadAllBytes(wav));
        Assert.Equal(48000, header.Format.SampleRate);
        Assert.Equal(48000, header.DataLength / header.Format.BlockAlign);
    }

    private static bool IsSymlinkedDirectory(string path) => new DirectoryInfo(path).LinkTarget is not null;
}
