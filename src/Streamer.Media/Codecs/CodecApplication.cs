namespace Streamer.Media.Codecs;

/// <summary>What the audio is, for codecs that tune for it (Opus); others ignore it.</summary>
public enum CodecApplication
{
    /// <summary>Music and general audio (the default).</summary>
    Audio,

    /// <summary>Speech: favours intelligibility, enables speech-only tools such as in-band FEC and DTX.</summary>
    Voip,

    /// <summary>The lowest algorithmic delay, without the speech mode.</summary>
    LowDelay,
}
