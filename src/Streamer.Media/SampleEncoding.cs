namespace Streamer.Media;

/// <summary>How one sample is stored. Little-endian throughout, as in WAV.</summary>
internal enum SampleEncoding
{
    UInt8,
    Int16,
    Int24,
    Int32,
    Float32,
    Float64,
}
