using System.Diagnostics;
using System.Globalization;
using Streamer.Media;
using Streamer.Media.Containers.Ogg;
using Streamer.Media.Containers.Wav;

namespace Streamer.Bench;

/// <summary>
/// The reference point: opus-tools' <c>opusenc</c>/<c>opusdec</c> (libopus) on the same file, as processes. Their
/// speed includes process start and file I/O, so it is a floor for libopus, not a like-for-like figure.
/// </summary>
public static class OpusToolBench
{
    /// <summary>The row name of the reference tool.</summary>
    public const string Name = "opusenc";

    /// <summary>True when both <c>opusenc</c> and <c>opusdec</c> are on the PATH.</summary>
    public static bool Available() => FindOnPath("opusenc") is not null && FindOnPath("opusdec") is not null;

    /// <summary>Encodes <paramref name="wavPath"/> (the file <paramref name="clip"/> was read from) with <c>opusenc</c> at <paramref name="bitrate"/> bit/s (hard CBR when <paramref name="cbr"/>), decodes with <c>opusdec</c> and compares with the clip.</summary>
    public static async Task<CodecBenchRow> RunAsync(PcmClip clip, string wavPath, int bitrate, bool cbr, CancellationToken cancellationToken)
    {
        string settings = string.Create(CultureInfo.InvariantCulture, $"{bitrate / 1000} kbit/s {(cbr ? "cbr" : "vbr")}, 20 ms, 48 kHz {clip.Format.Channels} ch, c10, audio (process)");
        if (!Available())
        {
            return CodecBenchRow.Skipped(Name, settings, "opusenc/opusdec not found (Debian: apt-get install opus-tools)");
        }

        string directory = Path.Combine(Path.GetTempPath(), "streamer-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            string opus = Path.Combine(directory, "bench.opus");
            string decodedPath = Path.Combine(directory, "bench.wav");
            string[] args = ["--quiet", "--bitrate", (bitrate / 1000.0).ToString(CultureInfo.InvariantCulture), "--comp", "10", "--framesize", "20", .. cbr ? ["--hard-cbr"] : Array.Empty<string>(), wavPath, opus];
            var encodeTime = await RunToolAsync("opusenc", args, cancellationToken);
            var decodeTime = await RunToolAsync("opusdec", ["--quiet", "--rate", "48000", opus, decodedPath], cancellationToken);
            var format = new AudioFormat(48000, clip.Format.Channels, SampleEncoding.Int16);
            byte[] reference = clip.ConvertTo(format);
            var decoded = await PcmClip.LoadAsync(decodedPath, cancellationToken);
            byte[] file = await File.ReadAllBytesAsync(opus, cancellationToken);
            var sizes = OggPacketReader.PacketSizes(file);
            int audioPackets = Math.Max(1, sizes.Count - 2);
            long audioBytes = 0;
            int maxPacket = 0;
            for (int i = 2; i < sizes.Count; i++)
            {
                audioBytes += sizes[i];
                maxPacket = Math.Max(maxPacket, sizes[i]);
            }

            double seconds = clip.Seconds;
            var aligned = decoded.Samples.AsSpan(0, Math.Min(decoded.Samples.Length, reference.Length));
            return new CodecBenchRow(
                Name,
                settings,
                audioBytes * 8 / seconds / 1000,
                seconds / encodeTime.TotalSeconds,
                seconds / decodeTime.TotalSeconds,
                SignalComparison.SnrDb(reference, aligned, 0, format.Channels),
                SignalComparison.BestLag(reference, aligned, format.Channels, 480, format.SampleRate),
                26.5,
                (double)audioBytes / audioPackets,
                maxPacket,
                double.NaN,
                double.NaN,
                double.NaN,
                decoded.Samples.Length < reference.Length ? "opusdec output is shorter than the source" : null);
        }
        catch (Exception ex) when (ex is IOException or InvalidWavException or InvalidOperationException)
        {
            return CodecBenchRow.Skipped(Name, settings, "opusenc/opusdec failed: " + ex.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<TimeSpan> RunToolAsync(string tool, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {(await stderr).Trim()}");
        }

        return elapsed;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
