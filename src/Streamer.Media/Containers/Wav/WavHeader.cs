namespace Streamer.Media.Containers.Wav;

/// <summary>What the header of a WAV file says, after validation.</summary>
/// <param name="Format">The sample layout.</param>
/// <param name="DataOffset">Byte offset of the first sample.</param>
/// <param name="DataLength">Bytes of sample data, or -1 for "to the end of the file".</param>
/// <param name="Warning">A problem worth telling the user that does not stop streaming (e.g. truncated data), or null.</param>
public sealed record WavHeader(AudioFormat Format, long DataOffset, long DataLength, string? Warning);
