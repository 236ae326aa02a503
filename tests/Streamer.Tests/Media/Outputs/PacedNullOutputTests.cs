using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Outputs;

public sealed class PacedNullOutputTests
{
    private static readonly AudioFormat Stereo16 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Plays_everything_buffered_and_returns_when_the_stream_has_ended()
    {
        var stats = new PlaybackStats();
        var buffer = new JitterBuffer(Stereo16, new JitterBufferOptions { Strategy = "fixed:10" }, stats);
        var frame = new byte[Stereo16.BytesPerSecond / 100]; // 10 ms
        for (int i = 0; i < 12; i++)
        {
            Assert.True(buffer.TryWrite(frame, 0));
        }

        buffer.Complete();
        await using var output = new PacedNullOutput(blockMilliseconds: 2.5);

        await output.RunAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(12 * 480, stats.SamplesPlayed);
        Assert.Equal(0, stats.Underruns);
        Assert.True(buffer.IsCompleted);
    }

    [Fact]
    public async Task Stops_on_cancellation_while_the_stream_is_still_live()
    {
        var stats = new PlaybackStats();
        var buffer = new JitterBuffer(Stereo16, new JitterBufferOptions { Strategy = "fixed:10" }, stats);
        await using var output = new PacedNullOutput(blockMilliseconds: 5);
        using var cancel = new CancellationTokenSource();

        var playing = output.RunAsync(buffer, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => playing.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
