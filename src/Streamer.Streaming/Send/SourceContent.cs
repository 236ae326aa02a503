using Streamer.Media.Codecs;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// Where one pass over the source lies in stream time: after the codec's pre-skip and for <c>totalSamples</c>. The
/// samples of a frame outside it (the pre-skip, the padding after the last real sample) are not the source's, so the
/// end-of-stream <c>samples</c> count leaves them out.
/// </summary>
internal readonly struct SourceContent
{
    private readonly long _start;
    private readonly long _end;

    public SourceContent(ulong passStart, StreamInfoMessage info)
    {
        long preSkip = CodecStreamInfo.PreSkipOf(info.Parameters);
        _start = (long)passStart + preSkip;
        _end = info.TotalSamples < 0 ? long.MaxValue : _start + info.TotalSamples;
    }

    /// <summary>Samples per channel of a frame starting at <paramref name="timestamp"/> that are the source's.</summary>
    public long SamplesIn(ulong timestamp, int samples)
    {
        long from = Math.Max((long)timestamp, _start);
        long to = Math.Min((long)timestamp + samples, _end);
        return Math.Max(0, to - from);
    }
}
