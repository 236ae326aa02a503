namespace Streamer.Bench.Proxy;

/// <summary>Flips every Nth byte of a stream (XOR 0xFF), chunk by chunk: the positions depend only on the stream offset.</summary>
internal static class ByteCorrupter
{
    /// <summary>
    /// Flips the bytes of <paramref name="chunk"/> whose 1-based stream position is a multiple of <paramref name="every"/>;
    /// <paramref name="offset"/> is the stream position of the chunk's first byte, 0-based. Returns how many it flipped.
    /// </summary>
    public static int Apply(Span<byte> chunk, long offset, long every)
    {
        if (every <= 0)
        {
            return 0;
        }

        // First index i with (offset + i + 1) % every == 0.
        long first = (every - ((offset + 1) % every)) % every;
        int flipped = 0;
        for (long i = first; i < chunk.Length; i += every)
        {
            chunk[(int)i] ^= 0xFF;
            flipped++;
        }

        return flipped;
    }
}
