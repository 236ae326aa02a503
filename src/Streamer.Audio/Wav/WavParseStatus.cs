namespace Streamer.Audio.Wav;

internal enum WavParseStatus
{
    NeedMoreData,
    Done,
    Error,
}
