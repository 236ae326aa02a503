namespace Streamer.Media;

/// <summary>How one sample is stored. Little-endian throughout, as in WAV.</summary>
public enum SampleEncoding
{
    /// <summary>Unsigned 8-bit, silence at 128.</summary>
    UInt8,

    /// <summary>Signed 16-bit.</summary>
    Int16,

    /// <summary>Signed 24-bit, packed in three bytes.</summary>
    Int24,

    /// <summary>Signed 32-bit.</summary>
    Int32,

    /// <summary>IEEE 754 single precision, full scale ±1.</summary>
    Float32,

    /// <summary>IEEE 754 double precision, full scale ±1.</summary>
    Float64,
}
