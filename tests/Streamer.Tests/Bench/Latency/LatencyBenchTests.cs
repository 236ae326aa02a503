using System.Buffers.Binary;
using System.Text.Json;
using Streamer.Bench.Latency;
using Streamer.Media.Codecs;
using Streamer.Streaming;
using Streamer.Tests.Cli;
using Streamer.Tests.Support;

namespace Streamer.Tests.Bench.Latency;

/// <summary>
/// A real latency run on loopback (the real server and client, 3 s of a live tone): every frame's stages add up to
/// its end to end, the JSON is what docs/bench.md documents, and the chart is a valid PNG. Nothing here asserts a
/// timing: the machine may be loaded.
/// </summary>
public sealed class LatencyBenchTests : IClassFixture<LatencyBenchTests.Run>
{
    private readonly Run _run;

    public LatencyBenchTests(Run run) => _run = run;

    /// <summary>One run shared by the tests (a few seconds of real time).</summary>
    public sealed class Run : IAsyncLifetime
    {
        public LatencyReport Report { get; private set; } = null!;

        public TempDirectory Keep { get; } = new();

        public async Task InitializeAsync()
        {
            Report = await LatencyBench.RunAsync(
                new LatencyBenchOptions
                {
                    Codec = CodecRegistry.Default.Get("opus"),
                    CodecOptions = new CodecOptions { FrameMilliseconds = 20 },
                    Duration = TimeSpan.FromSeconds(3),
                    KeepDirectory = Keep.Path,
                },
                CancellationToken.None);
        }

        public Task DisposeAsync()
        {
            Keep.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Every_frame_of_the_stream_arrives_and_is_measured_through_every_stage()
    {
        var report = _run.Report;
        // 3 s of 20 ms frames (Opus pads one more frame for its delay) from the broadcast's start; the receiver joins
        // a little after it (at the live edge) and leaves its first 0.5 s out. A listener that fell over 500 ms behind
        // (a loaded machine) skips frames: they are counted lost, and concealed, not measured.
        string text = LatencyReportWriter.Text(report);
        Assert.True(report.Packets + report.Lost is >= 100 and <= 152, text);
        Assert.Equal(report.Lost, report.Concealed);
        Assert.Equal(25, report.WarmupFrames);
        Assert.True(report.SenderMeasured);
        Assert.Equal(Enum.GetValues<LatencyStage>().Length, report.Stages.Count);
        long measured = report.FrameTimes.Count;
        Assert.True(measured >= 1 && measured <= report.Packets - 25, text);
        foreach (var stage in report.Stages)
        {
            Assert.Equal(measured, stage.Count);
            Assert.True(stage.P50Milliseconds <= stage.P95Milliseconds && stage.P95Milliseconds <= stage.P99Milliseconds && stage.P99Milliseconds <= stage.MaxMilliseconds, stage.Name);
        }

        // The source's read waits for the frame to be captured: at least the packet duration.
        Assert.True(report.Stage(LatencyStage.SourceRead)!.P50Milliseconds >= 19.9);
    }

    [Fact]
    public void The_stages_add_up_to_the_end_to_end_latency_frame_by_frame()
    {
        // Stated tolerance: 0.5 ms per frame. Stages are differences of consecutive stamps on one frame's way; they
        // differ from end to end only by how much the clock-offset estimate moved while the frame travelled
        // (sender and receiver share a clock here, so the estimate stays within its ping round trip of zero).
        var report = _run.Report;
        LatencyStage[] pipeline = [LatencyStage.SourceRead, LatencyStage.Encode, LatencyStage.SendQueue, LatencyStage.Wire, LatencyStage.ReceiveParse, LatencyStage.Decode, LatencyStage.JitterWait, LatencyStage.Output];
        var endToEnd = report.FrameSeries[LatencyStage.EndToEnd];
        Assert.NotEmpty(endToEnd);
        for (int i = 0; i < endToEnd.Length; i++)
        {
            double sum = pipeline.Sum(stage => report.FrameSeries[stage][i]);
            Assert.InRange(sum, endToEnd[i] - 0.5, endToEnd[i] + 0.5);
        }

        double meanSum = pipeline.Sum(stage => report.Stage(stage)!.MeanMilliseconds);
        Assert.InRange(meanSum, report.Stage(LatencyStage.EndToEnd)!.MeanMilliseconds - 0.5, report.Stage(LatencyStage.EndToEnd)!.MeanMilliseconds + 0.5);
    }

    [Fact]
    public void The_json_has_exactly_the_fields_docs_bench_md_documents()
    {
        var documented = DocumentedSchema("bench latency");
        using var json = JsonDocument.Parse(LatencyReportWriter.Json(_run.Report));
        var emitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == "stages")
            {
                foreach (var stage in property.Value.EnumerateObject())
                {
                    Assert.Contains("`" + stage.Name + "`", documented.StageNames);
                    foreach (var field in stage.Value.EnumerateObject())
                    {
                        emitted.Add("stages.STAGE." + field.Name);
                    }
                }

                continue;
            }

            emitted.Add(property.Name);
        }

        Assert.Equal(documented.Keys, emitted);
    }

    [Fact]
    public void The_chart_is_a_png_of_the_documented_size_with_a_row_per_stage()
    {
        using var dir = new TempDirectory();
        string path = dir.File("latency.png");
        LatencyPlot.Save(_run.Report, path);
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(LatencyPlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(_run.Report.Stages.Count * LatencyPlot.RowHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // Decodes as an image (ffprobe reads PNGs): not just a header.
        var probe = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", path).Stdout;
        Assert.Equal($"{LatencyPlot.Width},{_run.Report.Stages.Count * LatencyPlot.RowHeight}", probe.Trim());
    }

    [Fact]
    public void Keep_writes_the_input_and_what_the_output_played_as_wav_files()
    {
        static double Seconds(string path)
        {
            var probe = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path);
            return double.Parse(probe.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        // In: the whole 3 s tone. Out: what the listener received (it joins the broadcast a little after its start),
        // plus the silence the buffer played before it started, less the codec's delay (a few ms).
        Assert.InRange(Seconds(Path.Combine(_run.Keep.Path, "input.wav")), 2.999, 3.001);
        double received = (_run.Report.Packets + _run.Report.Lost) * 0.020;
        Assert.InRange(Seconds(Path.Combine(_run.Keep.Path, "output.wav")), received - 0.05, received + 1);
    }

    /// <summary>The keys a docs/bench.md schema table lists (first column, backticked) under the heading naming <paramref name="command"/>, and its stage names.</summary>
    internal static (SortedSet<string> Keys, string StageNames) DocumentedSchema(string command)
    {
        string[] lines = File.ReadAllLines(Path.Combine(DocumentedCommandLines.RepositoryRoot(), "docs", "bench.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("### JSON", StringComparison.Ordinal) && l.Contains(command, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/bench.md has no '### JSON … {command}' section");
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        string stageNames = string.Empty;
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith('#'); i++)
        {
            string line = lines[i];
            if (line.StartsWith("Stage names:", StringComparison.Ordinal))
            {
                stageNames = line;
            }

            if (!line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            int end = line.IndexOf('`', 3);
            keys.Add(line[3..end]);
        }

        return (keys, stageNames);
    }
}
