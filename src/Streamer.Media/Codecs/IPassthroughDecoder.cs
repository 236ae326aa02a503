namespace Streamer.Media.Codecs;

/// <summary>
/// A decoder whose packets already are PCM in its output format (whole sample frames): a receiver may hand the
/// packet on as it is instead of decoding it into a buffer first.
/// </summary>
public interface IPassthroughDecoder : IAudioDecoder
{
}
