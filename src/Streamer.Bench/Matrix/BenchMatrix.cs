using System.Net;
using Microsoft.Extensions.Logging;
using Streamer.Bench.Latency;
using Streamer.Bench.Proxy;
using Streamer.Media.Playout;
using Streamer.Transport;

namespace Streamer.Bench.Matrix;

/// <summary>
/// <c>bench matrix</c>: runs <see cref="LatencyBench"/> once per codec and condition, the receiver connecting through
/// an in-process <see cref="TcpProxy"/> with that condition, and scores each run.
/// </summary>
public static class BenchMatrix
{
    // The bench tone is 440 Hz at 48 kHz: 11 periods are exactly 1200 samples, so a lag search over 1200 samples
    // finds the exact alignment of any window however late the output plays.
    private const int TonePeriodFrames = 1200;
    private const int WindowFrames = 1200;
    private const int WindowStepFrames = 12_000;

    /// <summary>Runs every cell in turn (codecs outer, conditions inner) and returns them in that order.</summary>
    /// <param name="codecs">The codec columns.</param>
    /// <param name="conditions">The conditions, by name.</param>
    /// <param name="duration">Audio per cell, warm-up included.</param>
    /// <param name="jitter">The receiver's jitter buffer.</param>
    /// <param name="progress">Told each cell's label and the fraction of the whole matrix done; null: nothing.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="loggers">The in-process server's, client's and proxy's logs; null: none.</param>
    /// <param name="keepDirectory">When set, each cell's input.wav and output.wav are kept in DIR/CODEC-CONDITION (opus-64-4g); null: deleted.</param>
    public static async Task<IReadOnlyList<MatrixCell>> RunAsync(
        IReadOnlyList<MatrixCodec> codecs,
        IReadOnlyList<(string Name, NetworkConditions Conditions)> conditions,
        TimeSpan duration,
        JitterBufferOptions jitter,
        IProgress<(string Cell, double Done)>? progress,
        CancellationToken cancellationToken,
        ILoggerFactory? loggers = null,
        string? keepDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(conditions);
        var cells = new List<MatrixCell>(codecs.Count * conditions.Count);
        int total = codecs.Count * conditions.Count;
        foreach (var codec in codecs)
        {
            foreach (var (name, condition) in conditions)
            {
                string label = codec.Label + " @ " + name;
                int done = cells.Count;
                progress?.Report((label, (double)done / total));
                string? keep = keepDirectory is null ? null : Path.Combine(keepDirectory, KeptFileNames.Of(codec.Label + "-" + name));
                cells.Add(await RunCellAsync(codec, name, condition, duration, jitter, p => progress?.Report((label, (done + p) / total)), keep, cancellationToken, loggers));
            }
        }

        progress?.Report((string.Empty, 1));
        return cells;
    }

    private static async Task<MatrixCell> RunCellAsync(MatrixCodec codec, string name, NetworkConditions condition, TimeSpan duration, JitterBufferOptions jitter, Action<double> progress, string? kept, CancellationToken cancellationToken, ILoggerFactory? loggers)
    {
        string keep = kept ?? Path.Combine(Path.GetTempPath(), "streamer-matrix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(keep);
        TcpProxy? proxy = null;
        try
        {
            var report = await LatencyBench.RunAsync(
                new LatencyBenchOptions
                {
                    Codec = codec.Codec,
                    CodecOptions = codec.Options,
                    Jitter = jitter,
                    Duration = duration,
                    KeepDirectory = keep,
                    Progress = new Progress(progress),
                    Route = (server, _) =>
                    {
                        proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), server, condition, logger: loggers?.CreateLogger("Streamer.Proxy"));
                        return ValueTask.FromResult(new HostPort("127.0.0.1", proxy.LocalEndPoint.Port));
                    },
                },
                cancellationToken,
                loggers);
            var endToEnd = report.Stage(LatencyStage.EndToEnd);
            return new MatrixCell(
                codec.Label,
                name,
                // Bits per millisecond of audio received (kbit/s): the media time of the packets, not the run's wall time.
                report.Packets > 0 ? report.Bytes * 8.0 / (report.Packets * report.FrameMilliseconds) : 0,
                endToEnd?.P50Milliseconds ?? double.NaN,
                endToEnd?.P99Milliseconds ?? double.NaN,
                report.Stage(LatencyStage.JitterWait)?.P50Milliseconds ?? double.NaN,
                report.JitterMilliseconds,
                report.ConcealedMilliseconds,
                report.Underruns,
                ToneSnr(Path.Combine(keep, "input.wav"), Path.Combine(keep, "output.wav")));
        }
        finally
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }

            if (kept is null)
            {
                Directory.Delete(keep, recursive: true);
            }
        }
    }

    /// <summary>
    /// Median SNR of 25 ms windows of the output, each against the source at its best alignment: the codec's
    /// fidelity, apart from the glitches (which concealed ms and underruns count). Silent windows are skipped.
    /// </summary>
    internal static double? ToneSnr(string inputPath, string outputPath)
    {
        if (!File.Exists(inputPath) || !File.Exists(outputPath))
        {
            return null;
        }

        var (input, channels) = ReadPcm(inputPath);
        var (output, _) = ReadPcm(outputPath);
        int frameBytes = channels * sizeof(short);
        int windowBytes = WindowFrames * frameBytes;
        var scores = new List<double>();
        for (long start = TonePeriodFrames * 2L * frameBytes; start + windowBytes <= output.Length; start += WindowStepFrames * frameBytes)
        {
            var window = output.AsSpan((int)start, windowBytes);
            if (IsSilent(window))
            {
                continue;
            }

            double best = double.NegativeInfinity;
            for (int lag = 0; lag < TonePeriodFrames && best < double.PositiveInfinity; lag++)
            {
                int from = lag * frameBytes;
                if (from + windowBytes > input.Length)
                {
                    break;
                }

                best = Math.Max(best, SignalComparison.SnrDb(input.AsSpan(from, windowBytes), window, 0, channels));
            }

            scores.Add(best);
        }

        if (scores.Count == 0)
        {
            return null;
        }

        scores.Sort();
        return scores[scores.Count / 2];
    }

    // The bench's own 16-bit WAV files: walk the RIFF chunks for the channel count and the samples.
    private static (byte[] Data, int Channels) ReadPcm(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int channels = 1;
        int at = 12;
        while (at + 8 <= file.Length)
        {
            int size = BitConverter.ToInt32(file, at + 4);
            if (file.AsSpan(at, 4).SequenceEqual("fmt "u8) && at + 12 <= file.Length)
            {
                channels = Math.Max(1, (int)BitConverter.ToInt16(file, at + 10));
            }
            else if (file.AsSpan(at, 4).SequenceEqual("data"u8))
            {
                int length = size < 0 || at + 8 + size > file.Length ? file.Length - at - 8 : size;
                return (file.AsSpan(at + 8, length & ~1).ToArray(), channels);
            }

            at += 8 + Math.Max(0, size) + (size & 1);
        }

        return ([], channels);
    }

    private static bool IsSilent(ReadOnlySpan<byte> window)
    {
        foreach (byte b in window)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
