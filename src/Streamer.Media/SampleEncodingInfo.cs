namespace Streamer.Media;

/// <summary>Facts about each <see cref="SampleEncoding"/>: size, kind, wire name.</summary>
public static class SampleEncodingInfo
{
    /// <summary>Bytes of one sample.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined encoding.</exception>
    public static int BytesPerSample(this SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.UInt8 => 1,
        SampleEncoding.Int16 => 2,
        SampleEncoding.Int24 => 3,
        SampleEncoding.Int32 or SampleEncoding.Float32 => 4,
        SampleEncoding.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    /// <summary>True for the floating-point encodings.</summary>
    public static bool IsFloat(this SampleEncoding encoding) => encoding is SampleEncoding.Float32 or SampleEncoding.Float64;

    /// <summary>The name used on the wire and in messages (sox/ffmpeg style).</summary>
    public static string WireName(this SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.UInt8 => "u8",
        SampleEncoding.Int16 => "s16le",
        SampleEncoding.Int24 => "s24le",
        SampleEncoding.Int32 => "s32le",
        SampleEncoding.Float32 => "f32le",
        SampleEncoding.Float64 => "f64le",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    /// <summary>Parses a wire name (<see cref="WireName"/>: "s16le", "f32le", …); false for any other text.</summary>
    public static bool TryParseWireName(string name, out SampleEncoding encoding)
    {
        for (var e = SampleEncoding.UInt8; e <= SampleEncoding.Float64; e++)
        {
            if (e.WireName() == name)
            {
                encoding = e;
                return true;
            }
        }

        encoding = default;
        return false;
    }
}
