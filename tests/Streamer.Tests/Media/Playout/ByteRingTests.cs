using Streamer.Media.Playout;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Playout;

public sealed class ByteRingTests
{
    [Fact]
    public void A_sequence_write_wrapping_the_ring_end_reads_back_intact_however_it_is_split()
    {
        byte[] data = Enumerable.Range(1, 10).Select(i => (byte)i).ToArray();
        for (int cut = 0; cut <= data.Length; cut++)
        {
            var ring = new ByteRing(16);
            // Move the positions so that the write crosses the end of the array.
            Assert.True(ring.TryWrite(new byte[11]));
            Assert.Equal(11, ring.Skip(11));

            Assert.True(ring.TryWrite(Segments.Split(data, cut, cut + 3)));

            var read = new byte[16];
            Assert.Equal(data.Length, ring.Read(read));
            Assert.Equal(data, read[..data.Length]);
        }
    }

    [Fact]
    public void A_sequence_that_does_not_fit_is_refused_whole()
    {
        var ring = new ByteRing(8);
        Assert.True(ring.TryWrite(new byte[] { 9, 9, 9 }));

        Assert.False(ring.TryWrite(Segments.Split(new byte[6], 2)));

        Assert.Equal(3, ring.Count);
        Assert.Equal(3, ring.WritePosition);
    }
}
