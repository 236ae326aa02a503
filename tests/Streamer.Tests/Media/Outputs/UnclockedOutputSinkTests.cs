using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Outputs;

public sealed class UnclockedOutputSinkTests
{
    private static readonly AudioFormat Stereo16 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public void Every_segment_reaches_the_output_in_order_and_is_counted_as_played()
    {
        var output = new RecordingOutput();
        var stats = new PlaybackStats();
        var sink = new UnclockedOutputSink(output, Stereo16, stats);
        byte[] pcm = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();

        Assert.True(sink.TryWrite(Segments.Split(pcm, 3, 17, 30), WallClock.NowMicroseconds() - 5_000));
        Assert.True(sink.TryWrite(Segments.Split(pcm, 8), WallClock.NowMicroseconds()));

        Assert.Equal(Stereo16, output.OpenedWith);
        Assert.Equal(pcm.Concat(pcm), output.Written);
        Assert.Equal(20, stats.SamplesPlayed);
        Assert.Equal(2, stats.Latency.Count);
        Assert.True(stats.Latency.MaxMilliseconds >= 4.9, $"latency {stats.Latency.MaxMilliseconds} ms: the first frame was sent 5 ms before it was written");
    }

    [Fact]
    public void A_failing_output_is_named_in_the_error()
    {
        var output = new RecordingOutput { Failure = new IOException("No space left on device") };
        var sink = new UnclockedOutputSink(output, Stereo16, new PlaybackStats());

        var error = Assert.Throws<IOException>(() => sink.TryWrite(Segments.Split(new byte[8], 4), 0));

        Assert.Equal("recording: No space left on device", error.Message);
    }

    private sealed class RecordingOutput : IUnclockedOutput
    {
        public List<byte> Written { get; } = [];

        public AudioFormat? OpenedWith { get; private set; }

        public IOException? Failure { get; init; }

        public string Description => "recording";

        public void Open(AudioFormat format) => OpenedWith = format;

        public void Write(ReadOnlySpan<byte> pcm)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Written.AddRange(pcm.ToArray());
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
