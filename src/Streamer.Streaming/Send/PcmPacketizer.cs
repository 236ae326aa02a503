using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Sources;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// PCM frames as the source's own blocks (for a WAV file, slices of its pipe): the bytes go to the socket without an
/// extra copy. The last frame is whatever is left (shorter), so the stream ends exactly where the source does.
/// </summary>
internal sealed class PcmPacketizer : IPacketizer
{
    private readonly IAudioSource _source;
    private PresentationStamp? _stamp;
    private readonly int _frameSamples;
    private readonly int _blockAlign;

    public PcmPacketizer(IAudioSource source, int frameSamples)
    {
        _source = source;
        _frameSamples = frameSamples;
        var format = source.Format;
        _blockAlign = format.BlockAlign;
        FrameDuration = TimeSpan.FromSeconds((double)frameSamples / format.SampleRate);
        Info = new StreamInfoMessage(PcmCodec.CodecName, format.SampleRate, format.Channels, format.Encoding.WireName(), frameSamples, format.ChannelMask, source.TotalFrames ?? -1, new Dictionary<string, string>());
    }

    public StreamInfoMessage Info { get; }

    public TimeSpan FrameDuration { get; }

    public ReadOnlySequence<byte> Current { get; private set; }

    public int CurrentSamples { get; private set; }

    public long CurrentPresentationTimeUs { get; private set; }

    public void StampWith(PresentationStamp stamp) => _stamp = stamp;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        Current = await _source.ReadAsync(_frameSamples, cancellationToken);
        CurrentSamples = (int)(Current.Length / _blockAlign);
        // Stamped as the frame is read: its capture time (see PresentationStamp).
        CurrentPresentationTimeUs = _stamp?.Next(CurrentSamples) ?? FrameHeader.NoPresentationTime;
        return !Current.IsEmpty;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
