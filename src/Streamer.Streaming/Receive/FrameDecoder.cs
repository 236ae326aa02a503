using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>
/// The decoder stage of the receiver's sink chain: turns packets into PCM in a PCM sink (the jitter buffer of a
/// clocked output, or an unclocked output): conceals sequence gaps, drops the codec's delay at the start and trims
/// the padding after the announced total, so the output lines up with the source sample for sample. PCM payloads go
/// to the sink straight from the network buffer. Owns the decoder and the sink: disposing finalizes both.
/// </summary>
internal sealed class FrameDecoder : IPacketSink
{
    private readonly IAudioDecoder _decoder;
    private readonly IPcmOutputSink _sink;
    private readonly bool _passthrough;
    private readonly PlaybackStats _stats;
    private readonly int _frameSamples;
    private readonly int _sampleRate;
    private uint _nextSequence;
    private ulong _nextTimestamp;
    private readonly int _blockAlign;
    private readonly byte[] _pcm;
    private byte[] _packet;
    private readonly long _totalSamples;
    private long _skipSamples;
    private long _samplesOut;
    private bool _disposed;
    private readonly int _maxPayloadBytes;
    private readonly int _maxConcealedFrames;

    private const int MinPayloadBound = 16 * 1024;
    private const double MaxConcealedSeconds = 5;

    public FrameDecoder(IAudioDecoder decoder, StreamInfoMessage info, IPcmOutputSink sink, PlaybackStats stats)
    {
        _decoder = decoder;
        _sink = sink;
        // PCM on the wire is already the output layout: decoding would only copy it.
        _passthrough = decoder is IPassthroughDecoder;
        _stats = stats;
        _frameSamples = info.FrameSamples;
        _sampleRate = decoder.OutputFormat.SampleRate;
        _blockAlign = decoder.OutputFormat.BlockAlign;
        _totalSamples = info.TotalSamples;
        _skipSamples = decoder.DelaySamples;
        // Room for a frame of the largest size a codec may emit (Opus: 120 ms) at the output layout.
        int maxSamples = Math.Max(_frameSamples, decoder.OutputFormat.SampleRate * 120 / 1000);
        // No codec's packet outgrows its frame as raw PCM (Opus and G.711 are far smaller): anything larger is hostile.
        _maxPayloadBytes = Math.Max(_frameSamples * _blockAlign, MinPayloadBound);
        // A sender skips frames only while a client lags; gaps beyond a few seconds are not concealed sample by
        // sample (a hostile sequence jump could otherwise make us write for hours).
        _maxConcealedFrames = Math.Max(1, (int)(MaxConcealedSeconds * decoder.OutputFormat.SampleRate / _frameSamples));
        _pcm = ArrayPool<byte>.Shared.Rent(maxSamples * _blockAlign);
        _packet = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>The PCM sink this stage writes to.</summary>
    public IPcmOutputSink Sink => _sink;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
    {
        var payload = packet.Payload;
        if (payload.Length > _maxPayloadBytes)
        {
            throw new ProtocolException($"the server sent an audio frame of {payload.Length} bytes; frames of this stream hold at most {_maxPayloadBytes}");
        }

        if (packet.LostBefore > 0)
        {
            uint conceal = Math.Min(packet.LostBefore, (uint)_maxConcealedFrames);
            _stats.AddConcealed(conceal);
            for (uint i = 0; i < conceal; i++)
            {
                int concealed = ConcealOne(payload, withNextPacket: i == conceal - 1);
                await WriteAsync(concealed, Before(packet, conceal - i), cancellationToken);
            }
        }

        if (_passthrough)
        {
            // WriteAsync keeps whole sample frames only, so a trailing partial one is dropped there.
            await WriteAsync(payload, Stamp(packet), cancellationToken);
            return;
        }

        int length = _decoder.Decode(Contiguous(payload), _pcm);
        if ((uint)length > (uint)_pcm.Length)
        {
            // A packet the codec cannot decode (garbage from the wire) stands in as a lost one: concealed and
            // counted, and the stream goes on in time.
            _stats.AddLost(1);
            _stats.AddConcealed(1);
            length = _decoder.Conceal(_frameSamples, ReadOnlySpan<byte>.Empty, _pcm);
        }

        await WriteAsync(length, Stamp(packet), cancellationToken);
    }

    /// <summary>Conceals the <paramref name="lostAtEnd"/> frames missing after the last one received, then lets the sink deliver what it holds.</summary>
    public async ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken)
    {
        long conceal = Math.Min(Math.Max(0, lostAtEnd), _maxConcealedFrames);
        _stats.AddConcealed(conceal);
        for (long i = 0; i < conceal; i++)
        {
            int concealed = _decoder.Conceal(_frameSamples, ReadOnlySpan<byte>.Empty, _pcm);
            await WriteAsync(concealed, new FrameStamp(_nextSequence, _nextTimestamp, WallClock.NowMicroseconds(), FrameStamp.None), cancellationToken);
            _nextSequence++;
            _nextTimestamp += (ulong)_frameSamples;
        }

        await _sink.CompleteAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _sink.DisposeAsync();
        }
        finally
        {
            _decoder.Dispose();
            ArrayPool<byte>.Shared.Return(_pcm);
            ArrayPool<byte>.Shared.Return(_packet);
        }
    }

    private int ConcealOne(ReadOnlySequence<byte> payload, bool withNextPacket)
        => _decoder.Conceal(_frameSamples, withNextPacket ? Contiguous(payload) : ReadOnlySpan<byte>.Empty, _pcm);

    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return payload.FirstSpan;
        }

        int length = (int)payload.Length;
        if (length > _packet.Length)
        {
            // Grows once to the largest frame seen (bounded by the maximum frame length); steady state reuses it.
            ArrayPool<byte>.Shared.Return(_packet);
            _packet = ArrayPool<byte>.Shared.Rent(length);
        }

        payload.CopyTo(_packet);
        return _packet.AsSpan(0, length);
    }

    private FrameStamp Stamp(in ReceivedPacket packet)
    {
        _nextSequence = packet.Sequence + 1;
        _nextTimestamp = packet.Timestamp + (ulong)_frameSamples;
        return new FrameStamp(packet.Sequence, packet.Timestamp, packet.SendTimeUs, packet.PresentationTimeUs);
    }

    /// <summary>The stamp of the concealed frame <paramref name="framesBefore"/> frames before <paramref name="packet"/>.</summary>
    private FrameStamp Before(in ReceivedPacket packet, uint framesBefore)
    {
        long presentation = packet.PresentationTimeUs == FrameStamp.None
            ? FrameStamp.None
            : packet.PresentationTimeUs - (long)Math.Round(framesBefore * _frameSamples * 1e6 / _sampleRate);
        return new FrameStamp(packet.Sequence - framesBefore, packet.Timestamp - ((ulong)framesBefore * (ulong)_frameSamples), packet.SendTimeUs, presentation);
    }

    private ValueTask WriteAsync(int length, in FrameStamp stamp, CancellationToken cancellationToken)
        => WriteAsync(new ReadOnlySequence<byte>(_pcm, 0, length), stamp, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(ReadOnlySequence<byte> pcm, FrameStamp stamp, CancellationToken cancellationToken)
    {
        long samples = pcm.Length / _blockAlign;
        if (_skipSamples > 0)
        {
            long skip = Math.Min(_skipSamples, samples);
            _skipSamples -= skip;
            pcm = pcm.Slice(skip * _blockAlign);
            samples -= skip;
            if (stamp.HasPresentationTime)
            {
                // The codec's delay is dropped: the first sample left is heard that much later.
                stamp = stamp with { PresentationTimeUs = stamp.PresentationTimeUs + (long)Math.Round(skip * 1e6 / _sampleRate) };
            }
        }

        if (_totalSamples >= 0)
        {
            samples = Math.Max(0, Math.Min(samples, _totalSamples - _samplesOut));
        }

        if (samples == 0)
        {
            return;
        }

        _samplesOut += samples;
        int bytes = (int)(samples * _blockAlign);
        pcm = pcm.Slice(0, bytes);
        while (!_sink.TryWrite(pcm, stamp))
        {
            await _sink.WaitForSpaceAsync(bytes, cancellationToken);
        }
    }
}
