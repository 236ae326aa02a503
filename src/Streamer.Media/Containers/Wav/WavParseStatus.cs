namespace Streamer.Media.Containers.Wav;

internal enum WavParseStatus
{
    NeedMoreData,
    Done,
    Error,
}
