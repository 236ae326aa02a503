using Streamer.Bench;
using Streamer.Bench.Replay;
using Streamer.Bench.Trace;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Tests.Support;

namespace Streamer.Tests.Bench.Replay;

/// <summary>
/// Replays synthetic traces with known gaps and stalls through the real jitter buffer on the simulated clock: the
/// underrun and concealment counts of a fixed strategy are exact.
/// </summary>
public sealed class JitterReplayTests
{
    private const int Rate = 48_000;
    private const int FrameSamples = 960; // 20 ms
    private const long FrameUs = 20_000;
    private static readonly JitterBufferOptions NoDrift = new() { DriftCompensation = false };

    /// <summary>300 frames, each arriving on its media clock 3 ms after capture, shaped by <paramref name="shape"/> (null: dropped).</summary>
    private static ArrivalTrace Trace(Func<int, long, long?> shape)
    {
        var frames = new List<TraceFrame>();
        for (int i = 0; i < 300; i++)
        {
            if (shape(i, 1_000_000 + (i * FrameUs) + 3_000) is { } arrival)
            {
                frames.Add(new TraceFrame(arrival, (uint)i, (ulong)(i * FrameSamples), 160));
            }
        }

        // TCP delivers in order: frames that arrive together keep their sequence order.
        frames.Sort((a, b) => a.ArrivalMicroseconds != b.ArrivalMicroseconds ? a.ArrivalMicroseconds.CompareTo(b.ArrivalMicroseconds) : a.Sequence.CompareTo(b.Sequence));
        return new ArrivalTrace("opus", Rate, 1, FrameSamples, frames);
    }

    [Fact]
    public void A_steady_trace_plays_without_underruns_concealment_or_silence_and_the_delay_is_the_target()
    {
        var score = JitterReplay.Run(Trace((_, t) => t), "fixed:40", NoDrift, blockMilliseconds: 10);

        Assert.Equal(0, score.Underruns);
        Assert.Equal(0, score.ConcealedMilliseconds);
        Assert.Equal(0, score.SilenceMilliseconds);
        Assert.Equal(300, score.Frames);
        Assert.Equal(0, score.TargetChanges);
        // Played once 40 ms are buffered: each frame waits the target, give or take the block and frame granularity.
        Assert.InRange(score.MeanDelayMilliseconds, 20, 50);
    }

    [Fact]
    public void Three_missing_frames_whose_successor_comes_in_their_place_are_concealed_without_an_underrun()
    {
        // Frames 100–102 never come; 103 arrives when 100 would have (a sender that skipped to catch up).
        var trace = Trace((i, t) => i is >= 100 and <= 102 ? null : i == 103 ? t - (3 * FrameUs) : t);

        var score = JitterReplay.Run(trace, "fixed:40", NoDrift, blockMilliseconds: 10);

        Assert.Equal(0, score.Underruns);
        Assert.Equal(60, score.ConcealedMilliseconds);
        Assert.Equal(0, score.SilenceMilliseconds);
    }

    [Fact]
    public void A_stall_longer_than_the_target_and_a_gap_each_underrun_once_and_the_gap_is_concealed()
    {
        // Frames 200–209 are held back and come at once with 210 (a TCP stall of 200 ms, then the burst), and
        // frames 250–251 are lost with 252 on time: the buffer runs dry twice (40 ms held cannot cover 200 ms, nor
        // the 60 ms without audio before 252), and 2 frames (40 ms) are concealed.
        var trace = Trace((i, t) => i is >= 200 and < 210 ? t + ((210 - i) * FrameUs) : i is 250 or 251 ? null : t);

        var fixedScore = JitterReplay.Run(trace, "fixed:40", NoDrift, blockMilliseconds: 10);
        var large = JitterReplay.Run(trace, "fixed:300", NoDrift, blockMilliseconds: 10);

        Assert.Equal(2, fixedScore.Underruns);
        Assert.Equal(40, fixedScore.ConcealedMilliseconds);
        Assert.True(fixedScore.SilenceMilliseconds > 0);
        // 300 ms held rides out both: no underrun, the same concealment, a longer delay.
        Assert.Equal(0, large.Underruns);
        Assert.Equal(40, large.ConcealedMilliseconds);
        Assert.True(large.MeanDelayMilliseconds > fixedScore.MeanDelayMilliseconds);
    }

    [Fact]
    public void Every_registered_strategy_replays_and_the_adaptive_target_moves_with_the_jitter()
    {
        // Up to 18 ms late, never overtaking the next frame (TCP keeps the order).
        var jittery = Trace((i, t) => t + (i % 7 * 3_000));
        foreach (string name in new[] { "fixed:40", "adaptive", "adaptive:p99", "adaptive:p50" })
        {
            var score = JitterReplay.Run(jittery, name, new JitterBufferOptions());
            Assert.Equal(name, score.Strategy);
            Assert.Equal(300, score.Frames);
        }

        Assert.True(JitterReplay.Run(jittery, "adaptive", new JitterBufferOptions()).TargetChanges > 0);
    }

    [Fact]
    public void A_recorded_trace_file_reads_back_and_a_broken_one_names_its_line()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.csv");
        File.WriteAllText(path, $"{ArrivalTrace.Magic}\n{ArrivalTrace.StreamLine("pcm", Rate, 2, FrameSamples)}\n{ArrivalTrace.Columns}\n5,0,0,3840\n20005,1,960,3840\n");
        var trace = ArrivalTrace.Read(path);
        Assert.Equal(2, trace.Frames.Count);
        Assert.Equal(new TraceFrame(20005, 1, 960, 3840), trace.Frames[1]);
        Assert.Equal(20, trace.FrameMilliseconds);

        File.AppendAllText(path, "oops\n");
        var error = Assert.Throws<InvalidDataException>(() => ArrivalTrace.Read(path));
        Assert.Equal($"{path}: line 6 is not 'arrival_us,sequence,timestamp,bytes' in whole numbers", error.Message);
    }

    [Fact]
    public void The_json_has_exactly_the_fields_docs_bench_md_documents()
    {
        var trace = Trace((_, t) => t);
        var scores = new[] { JitterReplay.Run(trace, "fixed:40", NoDrift), JitterReplay.Run(trace, "adaptive", NoDrift) };
        using var json = System.Text.Json.JsonDocument.Parse(ReplayReportWriter.Json(trace, scores));
        var emitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == "strategies")
            {
                Assert.Equal(2, property.Value.GetArrayLength());
                foreach (var field in property.Value[0].EnumerateObject())
                {
                    emitted.Add("strategies[]." + field.Name);
                }

                continue;
            }

            emitted.Add(property.Name);
        }

        Assert.Equal(Streamer.Tests.Bench.Latency.LatencyBenchTests.DocumentedSchema("bench replay").Keys, emitted);
    }

    [Fact]
    public async Task Keep_writes_the_tone_as_sent_and_what_the_strategy_played_with_the_concealed_frames_silent()
    {
        // Frames 100–102 never come (successor in their place, as above): fixed:40 conceals them and never runs dry.
        var trace = Trace((i, t) => i is >= 100 and <= 102 ? null : i == 103 ? t - (3 * FrameUs) : t);
        using var dir = new TempDirectory();
        await using (var input = new WavFileOutput(dir.File("input.wav")))
        {
            JitterReplay.WriteSent(trace, input);
        }

        ReplayScore score;
        await using (var played = new WavFileOutput(dir.File("fixed-40.wav")))
        {
            score = JitterReplay.Run(trace, "fixed:40", NoDrift, blockMilliseconds: 10, played);
        }

        Assert.Equal(0, score.Underruns);
        var sent = await PcmClip.LoadAsync(dir.File("input.wav"), CancellationToken.None);
        var heard = await PcmClip.LoadAsync(dir.File("fixed-40.wav"), CancellationToken.None);
        Assert.Equal((Rate, 1), (sent.Format.SampleRate, sent.Format.Channels));
        Assert.Equal(300 * FrameSamples, sent.Frames);

        // What was played, past the silence before playback started, is the tone sent with the three concealed frames
        // silent: sample for sample (no drift correction, no underrun).
        byte[] expected = (byte[])sent.Samples.Clone();
        Array.Clear(expected, 100 * FrameSamples * 2, 3 * FrameSamples * 2);
        Assert.Equal(Trim(expected), Trim(heard.Samples));
    }

    /// <summary>The samples between the first and the last non-zero byte (the silence before and after playback).</summary>
    private static byte[] Trim(byte[] pcm)
    {
        int first = Array.FindIndex(pcm, b => b != 0);
        int last = Array.FindLastIndex(pcm, b => b != 0);
        Assert.True(first >= 0);
        return pcm[(first & ~1)..((last | 1) + 1)];
    }
}
