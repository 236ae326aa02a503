using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class PlayoutRingTests
{
    [Fact]
    public async Task A_full_ring_holds_the_producer_back_until_the_consumer_frees_space()
    {
        var ring = new PlayoutRing(8);
        Assert.Equal(0, ring.TryWrite(new byte[6]));
        Assert.Equal(-1, ring.TryWrite(new byte[4]));

        var waiting = ring.WaitForSpaceAsync(4, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        ring.Read(new byte[3]);
        ring.SpaceFreed();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, ring.TryWrite(new byte[4]));
        Assert.Equal(7, ring.Count);
    }

    [Fact]
    public async Task A_frame_larger_than_the_ring_can_never_fit()
    {
        var ring = new PlayoutRing(8);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ring.WaitForSpaceAsync(9, CancellationToken.None).AsTask());
        Assert.Equal("a frame of 9 bytes can never fit a jitter buffer of 8 bytes", error.Message);
    }
}
