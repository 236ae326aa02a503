using System.Buffers.Binary;

namespace Streamer.Media.Dsp;

/// <summary>
/// Sample-format conversion between any WAV encoding and normalized float or 16-bit integers: the one implementation,
/// used by the encoder input path (<see cref="PcmConverter"/>) and the device playout path (<see cref="PlayoutConverter"/>,
/// on the audio callback, so it allocates nothing).
/// </summary>
internal static class SampleConversion
{
    /// <summary>Decodes interleaved samples of <paramref name="encoding"/> into floats in [-1, 1); returns samples written.</summary>
    public static int ToFloat(ReadOnlySpan<byte> source, SampleEncoding encoding, Span<float> destination)
    {
        int size = encoding.BytesPerSample();
        int count = source.Length / size;
        for (int i = 0; i < count; i++)
        {
            var s = source.Slice(i * size, size);
            destination[i] = encoding switch
            {
                SampleEncoding.UInt8 => (s[0] - 128) / 128f,
                SampleEncoding.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                SampleEncoding.Int24 => ((s[0] << 8 | s[1] << 16 | s[2] << 24) >> 8) / 8388608f,
                SampleEncoding.Int32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
                SampleEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(s),
                _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
            };
        }

        return count;
    }

    /// <summary>Writes floats as little-endian 16-bit samples, rounded and clipped.</summary>
    public static void ToInt16(ReadOnlySpan<float> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            float scaled = MathF.Round(source[i] * 32768f);
            short value = scaled >= short.MaxValue ? short.MaxValue : scaled <= short.MinValue ? short.MinValue : (short)scaled;
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * 2)..], value);
        }
    }
}
