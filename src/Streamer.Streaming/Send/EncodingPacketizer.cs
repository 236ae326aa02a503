using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Dsp;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming.Metrics;

namespace Streamer.Streaming.Send;

/// <summary>
/// Frames from an encoder. The source is converted to the encoder's input layout on the way (16-bit, resampled when the
/// rates differ), and at the end the codec's delay is flushed with silence so that the receiver, which drops the
/// decoder's delay and trims to <see cref="StreamInfoMessage.TotalSamples"/>, gets the whole source back aligned.
/// All buffers are made once; a frame allocates nothing.
/// </summary>
internal sealed class EncodingPacketizer : IPacketizer
{
    private readonly IAudioSource _source;
    private PresentationStamp? _stamp;
    private readonly IAudioEncoder _encoder;
    private readonly string _codecName;
    private readonly PcmConverter? _converter;
    private readonly byte[] _pending;
    private readonly byte[] _packet;
    private readonly int _blockBytes;
    private readonly int _readFrames;
    private int _pendingBytes;
    private long _paddingFrames;
    private bool _sourceEnded;

    public EncodingPacketizer(IAudioSource source, IAudioEncoder encoder, string codecName)
    {
        var format = source.Format;
        var target = encoder.InputFormat;
        if (format != target && (target.Encoding != SampleEncoding.Int16 || target.Channels != format.Channels))
        {
            throw new CodecException($"{codecName} takes {target}, and the source ({format}) cannot be converted to it");
        }

        _source = source;
        _encoder = encoder;
        _codecName = codecName;
        _blockBytes = encoder.FrameSamples * target.BlockAlign;
        int readFrames = encoder.FrameSamples;
        int maxConverted = readFrames;
        if (format != target)
        {
            readFrames = (int)Math.Max(1, (long)encoder.FrameSamples * format.SampleRate / target.SampleRate);
            _converter = new PcmConverter(format, target, readFrames);
            maxConverted = _converter.MaxOutputFrames;
        }

        _readFrames = readFrames;
        _pending = new byte[_blockBytes + (maxConverted * target.BlockAlign)];
        _packet = GC.AllocateUninitializedArray<byte>(encoder.MaxPacketBytes);
        long total = source.TotalFrames is not { } sourceFrames ? -1 : _converter?.OutputFramesFor(sourceFrames) ?? sourceFrames;
        FrameDuration = TimeSpan.FromSeconds((double)encoder.FrameSamples / target.SampleRate);
        Info = new StreamInfoMessage(codecName, target.SampleRate, target.Channels, target.Encoding.WireName(), encoder.FrameSamples, format.ChannelMask, total, encoder.Parameters);
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
        while (_pendingBytes < _blockBytes)
        {
            if (!_sourceEnded)
            {
                var pcm = await _source.ReadAsync(_readFrames, cancellationToken);
                if (pcm.IsEmpty)
                {
                    _sourceEnded = true;
                    _pendingBytes += (_converter?.Flush(_pending.AsSpan(_pendingBytes)) ?? 0) * _encoder.InputFormat.BlockAlign;
                    _paddingFrames = _encoder.DelaySamples;
                }
                else
                {
                    Append(pcm);
                }

                continue;
            }

            if (_pendingBytes == 0 && _paddingFrames == 0)
            {
                Current = ReadOnlySequence<byte>.Empty;
                return false;
            }

            // The end: pad with silence, first to push the codec's delay out, then to a whole frame.
            int pad = _blockBytes - _pendingBytes;
            _pending.AsSpan(_pendingBytes, pad).Clear();
            _pendingBytes = _blockBytes;
            _paddingFrames = Math.Max(0, _paddingFrames - (pad / _encoder.InputFormat.BlockAlign));
        }

        CurrentSamples = _encoder.FrameSamples;
        // Stamped as the frame is read: its capture time (see PresentationStamp).
        CurrentPresentationTimeUs = _stamp?.Next(CurrentSamples) ?? FrameHeader.NoPresentationTime;
        long encodeStarted = Stopwatch.GetTimestamp();
        int length = _encoder.Encode(_pending.AsSpan(0, _blockBytes), _packet);
        ServerMetrics.Encoded(encodeStarted);
        _pendingBytes -= _blockBytes;
        _pending.AsSpan(_blockBytes, _pendingBytes).CopyTo(_pending);
        Current = new ReadOnlySequence<byte>(_packet, 0, length);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _encoder.Dispose();
        await _source.DisposeAsync();
    }

    public override string ToString() => _codecName;

    private void Append(ReadOnlySequence<byte> pcm)
    {
        if (_converter is null)
        {
            pcm.CopyTo(_pending.AsSpan(_pendingBytes));
            _pendingBytes += (int)pcm.Length;
            return;
        }

        _pendingBytes += _converter.Convert(pcm, _pending.AsSpan(_pendingBytes)) * _encoder.InputFormat.BlockAlign;
    }
}
