using System.Numerics;

namespace Streamer.Media.Codecs;

/// <summary>ITU-T G.711 companding: 16-bit linear samples to 8-bit µ-law or A-law codes and back.</summary>
internal static class G711
{
    private const int UlawBias = 0x84;
    private const int UlawClip = 32635;

    private static readonly short[] UlawTable = BuildTable(DecodeUlawSlow);
    private static readonly short[] AlawTable = BuildTable(DecodeAlawSlow);

    public static byte EncodeUlaw(short sample)
    {
        int value = sample;
        int sign = 0;
        if (value < 0)
        {
            sign = 0x80;
            value = -value;
        }

        value = Math.Min(value, UlawClip) + UlawBias;
        int exponent = Math.Max(0, BitOperations.Log2((uint)value) - 7);
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static byte EncodeAlaw(short sample)
    {
        int value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        if (value > 0xFFF)
        {
            return (byte)(0x7F ^ mask);
        }

        int segment = Math.Max(0, BitOperations.Log2((uint)value | 1) - 4);
        int code = (segment << 4) | ((segment < 2 ? value >> 1 : value >> segment) & 0x0F);
        return (byte)(code ^ mask);
    }

    public static short DecodeUlaw(byte code) => UlawTable[code];

    public static short DecodeAlaw(byte code) => AlawTable[code];

    private static short DecodeUlawSlow(byte code)
    {
        int value = ~code & 0xFF;
        int exponent = (value >> 4) & 0x07;
        int magnitude = ((((value & 0x0F) << 3) + UlawBias) << exponent) - UlawBias;
        return (short)((value & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short DecodeAlawSlow(byte code)
    {
        int value = code ^ 0x55;
        int magnitude = (value & 0x0F) << 4;
        int segment = (value & 0x70) >> 4;
        magnitude = segment switch
        {
            0 => magnitude + 8,
            1 => magnitude + 0x108,
            _ => (magnitude + 0x108) << (segment - 1),
        };
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }
}
