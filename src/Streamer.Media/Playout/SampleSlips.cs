namespace Streamer.Media.Playout;

/// <summary>
/// Reads a block from the ring dropping (positive adjust) or repeating (negative) single sample frames spread evenly
/// through it: the one way playout changes speed. One sample frame in hundreds, spread, is inaudible on music (no
/// resampler, so audio that needs no correction stays bit-exact). Allocates nothing.
/// </summary>
internal static class SampleSlips
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="ring"/>, which holds at least its length plus <paramref name="adjust"/> sample frames.</summary>
    public static void Read(PlayoutRing ring, Span<byte> buffer, int adjust, int blockAlign)
    {
        if (adjust == 0)
        {
            ring.Read(buffer);
            return;
        }

        int frames = buffer.Length / blockAlign;
        int steps = Math.Abs(adjust);
        int segmentFrames = (adjust > 0 ? frames : frames - steps) / (steps + 1);
        int position = 0;
        for (int i = 0; i < steps; i++)
        {
            int bytes = segmentFrames * blockAlign;
            ring.Read(buffer.Slice(position, bytes));
            position += bytes;
            if (adjust > 0)
            {
                ring.Skip(blockAlign);
            }
            else
            {
                // Callers slip at most an eighth of a block, so each segment holds a frame to repeat.
                buffer.Slice(position - blockAlign, blockAlign).CopyTo(buffer.Slice(position, blockAlign));
                position += blockAlign;
            }
        }

        ring.Read(buffer[position..]);
    }
}
