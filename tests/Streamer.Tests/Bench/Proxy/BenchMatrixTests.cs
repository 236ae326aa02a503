using System.Text.Json;
using SkiaSharp;
using Streamer.Bench.Matrix;
using Streamer.Bench.Proxy;
using Streamer.Media.Playout;
using Streamer.Streaming;
using Streamer.Tests.Support;

namespace Streamer.Tests.Bench.Proxy;

/// <summary><c>bench matrix</c> in process: real server, real proxy, real client per cell.</summary>
public class BenchMatrixTests
{
    [Fact]
    public async Task Each_codec_runs_under_each_condition_and_the_outputs_agree()
    {
        Assert.True(MatrixCodec.TryParse("pcm", CodecRegistry.Default, 20, out var pcm, out _));
        Assert.True(MatrixCodec.TryParse("opus:24", CodecRegistry.Default, 20, out var opus, out _));
        Assert.True(ConditionProfiles.TryGet("clean", out var clean));
        var delayed = new NetworkConditions { Delay = TimeSpan.FromMilliseconds(60) };

        using var keep = new TempDirectory();
        var cells = await BenchMatrix.RunAsync([pcm, opus], [("clean", clean), ("delay60", delayed)], TimeSpan.FromSeconds(3), new JitterBufferOptions(), null, CancellationToken.None, keepDirectory: keep.Path);

        Assert.Equal(["pcm@clean", "pcm@delay60", "opus:24@clean", "opus:24@delay60"], cells.Select(c => c.Codec + "@" + c.Condition));
        // 48 kHz stereo 16-bit is 1536 kbit/s of samples (plus frame headers); Opus at 24 kbit/s is near 24.
        Assert.InRange(cells[0].Kbps, 1536, 1536 * 1.05);
        Assert.InRange(cells[2].Kbps, 18, 32);
        // The proxy's 60 ms is on the wire one way: end to end grows by at least that much at the median.
        Assert.True(cells[1].EndToEndP50Milliseconds >= 60, $"p50 {cells[1].EndToEndP50Milliseconds}");
        Assert.True(cells[3].EndToEndP50Milliseconds >= 60, $"p50 {cells[3].EndToEndP50Milliseconds}");
        Assert.All(cells, c => Assert.True(c.EndToEndP99Milliseconds >= c.EndToEndP50Milliseconds));
        // Opus at 24 kbit/s cannot be bit-exact, but a tone comes through clearly.
        Assert.InRange(cells[2].SnrDb!.Value, 10, 80);

        // The buffer's wait is part of end to end; the jitter buffer holds at least its 20 ms minimum target.
        Assert.All(cells, c => Assert.InRange(c.BufferP50Milliseconds, 1, c.EndToEndP50Milliseconds));

        // --keep: each cell's audio in its own directory, named after the codec and the condition.
        foreach (string cell in new[] { "pcm-clean", "pcm-delay60", "opus-24-clean", "opus-24-delay60" })
        {
            Assert.True(File.Exists(Path.Combine(keep.Path, cell, "input.wav")), cell);
            Assert.True(new FileInfo(Path.Combine(keep.Path, cell, "output.wav")).Length > 44, cell);
        }

        // The JSON has exactly the fields docs/bench.md documents, and the CSV the same columns.
        using var json = JsonDocument.Parse(MatrixReportWriter.Json(cells));
        var emitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.GetProperty("cells")[0].EnumerateObject())
        {
            emitted.Add("cells[]." + property.Name);
        }

        var documented = Streamer.Tests.Bench.Latency.LatencyBenchTests.DocumentedSchema("bench matrix").Keys;
        Assert.Equal(documented, emitted);

        string[] csv = MatrixReportWriter.Csv(cells).TrimEnd().Split('\n');
        Assert.Equal(5, csv.Length);
        Assert.Equal(string.Join(',', documented.Select(k => k["cells[].".Length..]).Order(StringComparer.Ordinal)), string.Join(',', csv[0].Split(',').Order(StringComparer.Ordinal)));

        using var dir = new TempDirectory();
        string png = dir.File("matrix.png");
        MatrixPlot.Save(cells, png);
        using var image = SKBitmap.Decode(png);
        Assert.Equal(MatrixPlot.Width, image.Width);
        Assert.Equal(4 * MatrixPlot.RowHeight, image.Height);
    }

    [Fact]
    public void Unknown_codecs_and_bad_bitrates_are_named()
    {
        Assert.False(MatrixCodec.TryParse("mp3", CodecRegistry.Default, 20, out _, out string unknown));
        Assert.StartsWith("--codec 'mp3': unknown codec 'mp3' (say ", unknown, StringComparison.Ordinal);
        Assert.False(MatrixCodec.TryParse("opus:fast", CodecRegistry.Default, 20, out _, out string bad));
        Assert.Equal("--codec 'opus:fast': the part after ':' is a bitrate in kbit/s, as in opus:64", bad);
    }
}
