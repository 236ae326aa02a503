namespace Streamer.Audio.Wav;

public enum WavParseStatus
{
    NeedMoreData,
    Done,
    Error,
}
